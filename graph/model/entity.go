package model

// The federation entities (graph/federation.graphqls): what a router may ask
// the gateway for by key through Query._entities. Tag is generated, and
// gqlgen marks it itself.

// IsEntity marks Customer as a federation entity.
func (Customer) IsEntity() {}

// IsEntity marks Staff as a federation entity.
func (Staff) IsEntity() {}
