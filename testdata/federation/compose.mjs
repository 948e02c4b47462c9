// Composes Apollo Federation v2 subgraphs into a supergraph with
// @apollo/composition, as a router's build step would. Arguments are
// name=path pairs, one per subgraph SDL file. The supergraph SDL goes to
// standard output; composition errors go to standard error and the exit
// status is 1. Used by TestFederationComposition.
import { readFileSync } from "node:fs";
import { parse } from "graphql";
import { composeServices } from "@apollo/composition";

const services = process.argv.slice(2).map((arg) => {
  const at = arg.indexOf("=");
  const name = arg.slice(0, at);
  return {
    name,
    url: `http://${name}.invalid/graphql`,
    typeDefs: parse(readFileSync(arg.slice(at + 1), "utf8")),
  };
});
if (services.length < 2) {
  console.error("usage: node compose.mjs name=subgraph.graphql name=subgraph.graphql ...");
  process.exit(2);
}
const result = composeServices(services);
if (result.errors?.length) {
  for (const e of result.errors) {
    console.error(`${e.extensions?.code ?? "ERROR"}: ${e.message}`);
  }
  process.exit(1);
}
process.stdout.write(result.supergraphSdl);
