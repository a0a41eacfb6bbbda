/** Runs the CLI from source (for tests, through tsx): the same entry as bin/kei.js. */
import { main } from "./main.js";

process.exitCode = await main(process.argv);
