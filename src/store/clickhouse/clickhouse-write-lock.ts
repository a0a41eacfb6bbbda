/**
 * One writer at a time on a ClickHouse store, on a node and on a cluster. ClickHouse 18.16 has no
 * transactions, so two ingests at once each deduped against the store as it was and both stored every row
 * (34,542 rows for 17,271 ids). DuckDB refuses a second process by its file lock; this is the same for
 * ClickHouse.
 *
 * The lock is a table, `kei_write_lock`, on the store's first node (on a cluster too: every writer
 * addresses the same nodes, so the same first node). Taking the lock is `CREATE TABLE` without
 * `IF NOT EXISTS`: the server creates one table of a name at a time, so exactly one of two writers succeeds;
 * the other learns who holds the lock and fails at once with a clear message (`StoreBusyError`), or waits
 * when asked to. The holder writes its owner row (host, pid, purpose) with a lease that it renews while it
 * works; a run that dies (kill -9) stops renewing, and once its lease has run out, by the server's clock,
 * the next writer takes the lock over (at once when the dead process was on the same machine): it renames the stale table aside (only one rename of a name can
 * succeed), checks that what it moved is the stale lock it saw, drops it and creates its own. Before its
 * commit point a writer checks that it still holds the lock (`assertHeld`), so a writer whose lease ran out
 * while it was stalled stops instead of writing beside the next one.
 */
import { hostname } from "node:os";
import { quoteIdentifier as q } from "../sql.js";
import { StoreBusyError } from "../store.js";
import { encodeLiteral } from "./clickhouse-literal.js";
import type { ClickHouseNode } from "./clickhouse-nodes.js";

export const LOCK_TABLE = "kei_write_lock";

/** How long a lease lasts without renewal, and how often the holder renews it. */
export const DEFAULT_LEASE_SECONDS = 60;

export type LockPurpose = "ingest" | "recovery" | "derived build";

interface Holder {
  readonly owner: string;
  readonly purpose: string;
  readonly host: string;
  readonly pid: number;
  readonly since: string;
  readonly expires: string;
  /** Seconds until the lease runs out, by the server's clock (negative: expired). */
  readonly left: number;
}

export interface LockOptions {
  readonly purpose: LockPurpose;
  readonly leaseSeconds?: number;
  /** How long to wait for a busy lock before giving up (default 0: fail at once, as DuckDB does). */
  readonly waitSeconds?: number;
}

export class ClickHouseWriteLock {
  private timer: NodeJS.Timeout | undefined;
  private released = false;

  private constructor(
    private readonly node: ClickHouseNode,
    private readonly db: string,
    readonly owner: string,
    private readonly leaseSeconds: number,
  ) {}

  /** Takes the store's write lock, or throws `StoreBusyError` naming the holder. */
  static async acquire(node: ClickHouseNode, db: string, options: LockOptions): Promise<ClickHouseWriteLock> {
    const lease = options.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
    const owner = `${hostname()}:${process.pid}:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    const deadline = Date.now() + (options.waitSeconds ?? 0) * 1000;
    for (let attempt = 0; ; attempt++) {
      if (await tryCreate(node, db, leaseRow(owner, options.purpose, lease))) {
        const lock = new ClickHouseWriteLock(node, db, owner, lease);
        lock.startRenewing(options.purpose);
        return lock;
      }
      if (attempt > 1000) throw new Error(`could not take the write lock on ClickHouse database "${db}"`);
      const holder = await readHolder(node, db);
      if (!holder) continue; // released between our create and our look: try again
      if (holder.left < 0 || diedOnThisHost(holder)) {
        await takeOverStale(node, db, holder, owner);
        continue;
      }
      if (Date.now() >= deadline) throw busy(db, holder);
      // Backing off; an empty lock table is a writer between its create and its owner row.
      await sleep(Math.min(1000, 100 * (attempt + 1)));
    }
  }

  /** Throws when the lock is no longer this writer's (its lease ran out and another writer took over). */
  async assertHeld(): Promise<void> {
    const holder = await readHolder(this.node, this.db);
    if (!holder || holder.owner !== this.owner) {
      throw new StoreBusyError(
        `lost the write lock on ClickHouse database "${this.db}": this run stalled past its lease and ${holder ? `another kei process (${holderText(holder)})` : "another process"} took over; nothing of this run was stored, run it again`,
      );
    }
  }

  /** Stops renewing without removing the lock: its lease runs out and the next writer finishes the run. */
  abandon(): void {
    this.released = true;
    if (this.timer) clearInterval(this.timer);
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    if (this.timer) clearInterval(this.timer);
    const holder = await readHolder(this.node, this.db).catch(() => undefined);
    if (holder?.owner === this.owner) await this.node.command(`DROP TABLE IF EXISTS ${name(this.db)}`);
  }

  private async writeLease(purpose: LockPurpose): Promise<void> {
    await this.node.command(
      `INSERT INTO ${name(this.db)} ${leaseRow(this.owner, purpose, this.leaseSeconds)}`,
    );
  }

  private startRenewing(purpose: LockPurpose): void {
    const every = Math.max(1, Math.floor(this.leaseSeconds / 4)) * 1000;
    this.timer = setInterval(() => {
      // A failed renewal is caught by assertHeld before the commit point.
      this.writeLease(purpose).catch(() => undefined);
    }, every);
    this.timer.unref();
  }
}

/**
 * A holder on this machine whose process is gone (kill -9) frees the lock at once rather than after its
 * lease: `kill(pid, 0)` answers ESRCH for a pid that does not exist. (A pid reused by another process
 * keeps the lock until the lease runs out, which is only slower, never unsafe.)
 */
function diedOnThisHost(h: Holder): boolean {
  if (!h.owner || h.host !== hostname() || h.pid === process.pid) return false;
  try {
    process.kill(h.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
}

function name(db: string, table = LOCK_TABLE): string {
  return `${q(db)}.${q(table)}`;
}

/** The SELECT of one owner row with a lease running `lease` seconds from now, by the server's clock. */
function leaseRow(owner: string, purpose: LockPurpose, lease: number): string {
  return `SELECT ${encodeLiteral(owner)} AS "owner", ${encodeLiteral(purpose)} AS "purpose",
    ${encodeLiteral(hostname())} AS "host", toUInt32(${process.pid}) AS "pid",
    toDateTime(now(), 'UTC') AS "since", toDateTime(now() + ${lease}, 'UTC') AS "expires"`;
}

/**
 * Creates the lock table with its owner row in one statement (CREATE TABLE ... AS SELECT runs on the server
 * as a whole), so a writer killed at any moment leaves no lock or a lock that names its process.
 */
async function tryCreate(node: ClickHouseNode, db: string, row: string): Promise<boolean> {
  try {
    await node.command(`CREATE TABLE ${name(db)} ENGINE = MergeTree() ORDER BY "expires" AS ${row}`);
    return true;
  } catch (e) {
    if (/already exists|is (being )?(created|attached)|Code: 57\b/i.test((e as Error).message)) return false;
    throw e;
  }
}

/** The holder by its owner rows; for an empty table (a writer between create and insert, or one that died
 * there), the table's age stands in for the lease, so a lock left empty by a crash expires too. */
async function readHolder(node: ClickHouseNode, db: string, table = LOCK_TABLE): Promise<Holder | undefined> {
  let rows: Holder[];
  try {
    // Aliases differ from column names: 18.16 resolves a column name to a same-named alias of the SELECT.
    rows = await node
      .query<Holder>(
        `SELECT any("owner") AS h_owner, any("purpose") AS h_purpose, any("host") AS h_host,
              toInt64(any("pid")) AS h_pid, toString(min("since")) AS h_since,
              toString(max("expires")) AS h_expires, toInt64(max("expires")) - toInt64(now()) AS h_left
       FROM ${name(db, table)} HAVING count() > 0`,
      )
      .then((r) =>
        r.map((x) => {
          const o = x as unknown as Record<string, unknown>;
          return {
            owner: String(o.h_owner),
            purpose: String(o.h_purpose),
            host: String(o.h_host),
            pid: Number(o.h_pid),
            since: String(o.h_since),
            expires: String(o.h_expires),
            left: Number(o.h_left),
          };
        }),
      );
  } catch (e) {
    if (/doesn't exist|does not exist|Code: 60\b/i.test((e as Error).message)) return undefined;
    throw e;
  }
  const row = rows[0];
  if (row) return row;
  const age = await node.query<{ age: number }>(
    `SELECT toInt64(now()) - toInt64(metadata_modification_time) AS age FROM system.tables
     WHERE database = ${encodeLiteral(db)} AND name = ${encodeLiteral(table)}`,
  );
  const a = age[0];
  if (!a) return undefined;
  return {
    owner: "",
    purpose: "starting",
    host: "?",
    pid: 0,
    since: "",
    expires: "",
    left: DEFAULT_LEASE_SECONDS - Number(a.age),
  };
}

async function takeOverStale(node: ClickHouseNode, db: string, stale: Holder, owner: string): Promise<void> {
  const aside = `${LOCK_TABLE}_stale_${owner.replace(/[^A-Za-z0-9]/g, "_")}`;
  try {
    await node.command(`RENAME TABLE ${name(db)} TO ${name(db, aside)}`);
  } catch {
    return; // another writer moved it first; try again from the start
  }
  const moved = await readHolder(node, db, aside);
  if (moved && moved.owner !== stale.owner && moved.left >= 0) {
    // Between our look and our rename another writer took the stale lock over and made its own: put it back.
    await node.command(`RENAME TABLE ${name(db, aside)} TO ${name(db)}`).catch(() => undefined);
    return;
  }
  await node.command(`DROP TABLE IF EXISTS ${name(db, aside)}`);
}

function holderText(h: Holder): string {
  return h.owner
    ? `${h.purpose} by process ${h.pid} on ${h.host}, since ${h.since} UTC, lease until ${h.expires} UTC`
    : "a writer that is starting";
}

function busy(db: string, holder: Holder): StoreBusyError {
  return new StoreBusyError(
    `the ClickHouse store "${db}" is being written by another kei process (${holderText(holder)}); wait until it has finished and try again. A process that died frees the lock when its lease runs out (at most ${DEFAULT_LEASE_SECONDS} s).`,
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
