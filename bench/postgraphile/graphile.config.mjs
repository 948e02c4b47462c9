// PostGraphile v5 as a team would run it over MKG Graph's tables: the amber
// preset plus the common connection-filter plugin, which the dashboard needs
// to select stations whose kinds include SYNOPTIC (stations.kinds is a list
// like ",SYNOPTIC,CLIMATE,"; v5's built-in `condition` only tests equality).
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { PostGraphileConnectionFilterPreset } from "postgraphile-plugin-connection-filter";
import { makePgService } from "postgraphile/adaptors/pg";

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: [process.env.PG_SCHEMA || "public"],
      // As many database connections as MKG Graph and the floor (20).
      poolConfig: { max: 20 },
    }),
  ],
  grafserv: { host: "127.0.0.1", port: Number(process.env.PORT || 5678) },
  grafast: { explain: false },
  schema: {
    // Observations and lightning strikes may be partitioned by time; expose
    // the parent tables only, never their partitions (observations_p20250101
    // …), whatever a later default becomes.
    pgDefaultPartitionedTableExpose: "parent",
  },
};

export default preset;
