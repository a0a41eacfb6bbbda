/**
 * Where things live on a ClickHouse store, one node or a cluster: table names, the staging tables of an
 * ingest run, and the DDL that creates them on every node (`ON CLUSTER` needs ZooKeeper, so kei creates
 * each node's tables itself).
 */
import type { TableName } from "../../schema/tables.js";
import { quoteIdentifier as q } from "../sql.js";
import { distributedDdl, mergeTreeDdl } from "./clickhouse-ddl.js";
import type { ClickHouseNode } from "./clickhouse-nodes.js";

export class ClickHouseLayout {
  constructor(
    readonly db: string,
    readonly nodes: readonly ClickHouseNode[],
    readonly cluster: string | undefined,
  ) {}

  get first(): ClickHouseNode {
    return this.nodes[0] as ClickHouseNode;
  }

  /** `db.name`, quoted. */
  name(table: string): string {
    return `${q(this.db)}.${q(table)}`;
  }

  /** The table analytics read: Distributed on a cluster, the MergeTree itself on one node. */
  readable(table: TableName): string {
    return this.name(table);
  }

  /** The MergeTree on each node that holds the rows (and their partitions). */
  partitionTable(table: TableName): string {
    return this.name(this.cluster ? `${table}_local` : table);
  }

  stageLocal(run: number, table: TableName): string {
    return this.name(`kei_stage_${run}_${table}`);
  }

  /** Where the deduped rows of a run are inserted: a Distributed table over the stages on a cluster. */
  stageInsert(run: number, table: TableName): string {
    return this.name(this.cluster ? `kei_stagedist_${run}_${table}` : `kei_stage_${run}_${table}`);
  }

  rawStage(run: number, table: TableName): string {
    return this.name(`kei_raw_${run}_${table}`);
  }

  /** Creates a table of the model on every node (local MergeTree and Distributed on a cluster). */
  async createModelTable(table: TableName): Promise<void> {
    await this.createPartitioned(table, table, table);
  }

  async createStage(run: number, table: TableName): Promise<void> {
    await this.createPartitioned(table, `kei_stage_${run}_${table}`, `kei_stagedist_${run}_${table}`, true);
  }

  private async createPartitioned(
    table: TableName,
    base: string,
    distName: string,
    stage = false,
  ): Promise<void> {
    for (const node of this.nodes) {
      if (!this.cluster) {
        await node.command(mergeTreeDdl(this.db, base, table));
        continue;
      }
      const local = stage ? base : `${base}_local`;
      await node.command(mergeTreeDdl(this.db, local, table));
      await node.command(distributedDdl(this.db, stage ? distName : base, local, table, this.cluster));
    }
  }

  async dropStages(run: number, tables: readonly TableName[]): Promise<void> {
    for (const t of tables) {
      for (const node of this.nodes) {
        await node.command(`DROP TABLE IF EXISTS ${this.name(`kei_stagedist_${run}_${t}`)}`);
        await node.command(`DROP TABLE IF EXISTS ${this.stageLocal(run, t)}`);
      }
      await this.first.command(`DROP TABLE IF EXISTS ${this.rawStage(run, t)}`);
    }
  }
}
