package graph

import "testing"

// TestCacheableFieldsExist: every field the response cache trusts is a
// field of the schema, so a rename cannot leave a stale entry behind (a
// renamed field is then simply uncacheable until listed again).
func TestCacheableFieldsExist(t *testing.T) {
	schema := NewExecutableSchema(Config{}).Schema()
	for typ, fields := range cacheable {
		def := schema.Types[typ]
		if def == nil {
			t.Errorf("cacheable lists type %s, which the schema does not have", typ)
			continue
		}
		for field := range fields {
			if def.Fields.ForName(field) == nil {
				t.Errorf("cacheable lists %s.%s, which the schema does not have", typ, field)
			}
		}
	}
}
