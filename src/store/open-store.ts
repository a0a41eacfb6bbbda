/**
 * Opens the store a location names, with its tables in place. The ClickHouse client is loaded only
 * when a ClickHouse store is asked for, so DuckDB users never load it.
 */
import { DuckDBStore, type DuckDBStoreOptions } from "./duckdb/duckdb-store.js";
import type { Store } from "./store.js";
import type { StoreLocation } from "./store-location.js";

export async function openStore(location: StoreLocation, options: DuckDBStoreOptions = {}): Promise<Store> {
  let store: Store;
  if (location.engine === "duckdb") {
    store = await DuckDBStore.open(location.path, options);
  } else {
    const { ClickHouseStore } = await import("./clickhouse/clickhouse-store.js");
    store = await ClickHouseStore.open(location);
  }
  try {
    await store.ensureSchema();
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}
