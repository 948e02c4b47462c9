package mkg

// IsEntity marks the types other agencies' GraphQL subgraphs may extend
// (Apollo Federation entities, keyed by their global IDs). It has no
// behaviour: gqlgen's federation plugin binds its _Entity union to an
// interface with this one method, and the domain types are bound directly.
func (*Station) IsEntity() {}

// IsEntity: see Station.IsEntity.
func (*Earthquake) IsEntity() {}

// IsEntity: see Station.IsEntity.
func (*Observation) IsEntity() {}
