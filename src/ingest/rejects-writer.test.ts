import { spawnSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RejectsWriter, removeOrphanRejects } from "./rejects-writer.js";

const ROW = {
  file: "/in/contacts.csv",
  table: "contacts",
  row: 2,
  column: "ts",
  reason: "bad",
  record: "=1+1,x",
};
const HEADER = "file,table,row,column,reason,record\n";
const tmp = () => mkdtemp(join(tmpdir(), "kei-rejects-"));
const mode = async (p: string) => (await stat(p)).mode & 0o777;

/** The pid of a process that has just ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(child.stdout.toString());
}

describe("rejects file", () => {
  it("is readable by its owner only, in a folder it creates for its owner only", async () => {
    const dir = join(await tmp(), "new", "rejects");
    const w = new RejectsWriter(join(dir, "r.csv"));
    await w.write(ROW);
    expect(await mode(w.partialPath)).toBe(0o600);
    expect(await mode(dir)).toBe(0o700);
    expect(await mode(join(dir, ".."))).toBe(0o700);
    expect(await w.close()).toBe(join(dir, "r.csv"));
    expect(await mode(join(dir, "r.csv"))).toBe(0o600);
  });

  it("leaves a folder that exists as it is", async () => {
    const dir = await tmp();
    await mkdir(join(dir, "shared"));
    await chmod(join(dir, "shared"), 0o755);
    const w = new RejectsWriter(join(dir, "shared", "r.csv"));
    await w.write(ROW);
    await w.close();
    expect(await mode(join(dir, "shared"))).toBe(0o755);
  });

  it("exists under its name only once closed; until then it is a partial file named after the process", async () => {
    const dir = await tmp();
    const w = new RejectsWriter(join(dir, "r.csv"));
    await w.write(ROW);
    expect(await readdir(dir)).toEqual([`r.csv.${process.pid}.partial`]);
    await w.flush();
    expect(await readFile(w.partialPath, "utf8")).toContain("/in/contacts.csv");
    expect(await readdir(dir)).toEqual([`r.csv.${process.pid}.partial`]);
    await expect(w.write(ROW)).rejects.toThrow("written after flush()");
    await w.close();
    expect(await readdir(dir)).toEqual(["r.csv"]);
    expect(await readFile(join(dir, "r.csv"), "utf8")).toBe(
      `${HEADER}/in/contacts.csv,contacts,2,ts,bad,"'=1+1,x"\n`,
    );
  });

  it("discard leaves nothing; nothing rejected leaves nothing", async () => {
    const dir = await tmp();
    const w = new RejectsWriter(join(dir, "r.csv"));
    await w.write(ROW);
    await w.discard();
    expect(await new RejectsWriter(join(dir, "s.csv")).close()).toBeNull();
    expect(await readdir(dir)).toEqual([]);
  });
});

describe("removeOrphanRejects", () => {
  it("removes partial rejects files of processes that ended, and keeps the others", async () => {
    const dir = await tmp();
    const dead = deadPid();
    await writeFile(join(dir, `a.csv.${dead}.partial`), `${HEADER}x,y\n`);
    await writeFile(join(dir, `b.csv.${dead}.partial`), "");
    await writeFile(join(dir, `c.csv.${process.pid}.partial`), HEADER);
    await writeFile(join(dir, `notes.txt.${dead}.partial`), "someone else's file\n");
    await writeFile(join(dir, "r.csv"), HEADER);
    const removed = await removeOrphanRejects(dir);
    expect(removed.sort()).toEqual([join(dir, `a.csv.${dead}.partial`), join(dir, `b.csv.${dead}.partial`)]);
    expect((await readdir(dir)).sort()).toEqual([
      `c.csv.${process.pid}.partial`,
      `notes.txt.${dead}.partial`,
      "r.csv",
    ]);
  });

  it("a folder that does not exist has nothing to remove", async () => {
    expect(await removeOrphanRejects(join(await tmp(), "none"))).toEqual([]);
  });
});
