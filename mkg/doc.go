// Package mkg is the vocabulary of MKG Graph: the agency's data kinds
// (stations, SYNOP observations, earthquakes …), the rules that hold whatever
// the storage (filters and their limits, how two earthquake reports are judged
// to be the same event), the coded errors every layer speaks, and the
// interfaces the adapters implement.
//
// It imports only the standard library. Storage (sqlstore), caches (redis,
// inmem), parsers (format/…), GraphQL (graph, resolvers) and HTTP depend on
// it, never the other way round.
package mkg
