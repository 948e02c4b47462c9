package sqlstore

import (
	"context"
	"sync"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

var _ mkg.TrustedDocumentStore = (*Store)(nil)

// documentSet is the registry of trusted documents as read at an access
// generation: every change to it advances that generation (record), so
// the copy is current while the generation has not moved.
type documentSet struct {
	mu   sync.Mutex
	gen  int64
	byID map[string]string // nil: not read yet
}

type documentRow struct {
	ID           string `db:"id"`
	Name         string `db:"name"`
	Query        string `db:"query"`
	RegisteredAt dbTime `db:"registered_at"`
	RegisteredBy string `db:"registered_by"`
}

func (r documentRow) document() *mkg.TrustedDocument {
	return &mkg.TrustedDocument{ID: r.ID, Name: r.Name, Query: r.Query, RegisteredAt: r.RegisteredAt.Time, RegisteredBy: r.RegisteredBy}
}

// TrustedDocuments implements mkg.TrustedDocumentStore.
func (s *Store) TrustedDocuments(ctx context.Context) ([]*mkg.TrustedDocument, error) {
	var rows []documentRow
	err := sqlx.SelectContext(ctx, s.q(), &rows, s.rebind(`SELECT id, name, query, registered_at, registered_by
		FROM trusted_documents ORDER BY registered_at, id LIMIT ?`), mkg.MaxTrustedDocuments)
	if err != nil {
		return nil, s.wrap(err)
	}
	out := make([]*mkg.TrustedDocument, len(rows))
	for i, r := range rows {
		out[i] = r.document()
	}
	return out, nil
}

// TrustedDocumentSet implements mkg.TrustedDocumentStore: from memory
// while the access generation has not moved, else read again (one
// statement). The map returned is shared: callers only read it.
func (s *Store) TrustedDocumentSet(ctx context.Context) (map[string]string, error) {
	gen, err := s.Generation(ctx, mkg.GenAccess)
	if err != nil {
		return nil, err
	}
	d := &s.documents
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.byID != nil && d.gen == gen {
		return d.byID, nil
	}
	docs, err := s.TrustedDocuments(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]string, len(docs))
	for _, doc := range docs {
		byID[doc.ID] = doc.Query
	}
	d.gen, d.byID = gen, byID
	return byID, nil
}

// RegisterTrustedDocuments implements mkg.TrustedDocumentStore: in one
// transaction, with an audit event per document added.
func (s *Store) RegisterTrustedDocuments(ctx context.Context, by mkg.Actor, in []mkg.TrustedDocumentInput) ([]*mkg.TrustedDocument, error) {
	out := make([]*mkg.TrustedDocument, 0, len(in))
	err := s.tx(ctx, func(q sqlx.ExtContext) error {
		var n int
		if err := sqlx.GetContext(ctx, q, &n, `SELECT COUNT(*) FROM trusted_documents`); err != nil {
			return s.wrap(err)
		}
		if err := mkg.CheckTrustedDocuments(in, n); err != nil {
			return err
		}
		now := s.now()
		for _, d := range in {
			id := mkg.DocumentID(d.Query)
			res, err := q.ExecContext(ctx, s.rebind(`INSERT INTO trusted_documents (id, name, query, registered_at, registered_by)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`), id, d.Name, d.Query, dbTime{now}, by.Label)
			if err != nil {
				return s.wrap(err)
			}
			if added, _ := res.RowsAffected(); added > 0 {
				if err := s.record(ctx, q, by, now, "document.register", "document", id, map[string]any{"name": d.Name}); err != nil {
					return err
				}
			}
			var row documentRow
			if err := sqlx.GetContext(ctx, q, &row, s.rebind(`SELECT id, name, query, registered_at, registered_by
				FROM trusted_documents WHERE id = ?`), id); err != nil {
				return s.wrap(err)
			}
			out = append(out, row.document())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RemoveTrustedDocument implements mkg.TrustedDocumentStore.
func (s *Store) RemoveTrustedDocument(ctx context.Context, by mkg.Actor, id string) error {
	id, err := mkg.ParseDocumentID(id, "id")
	if err != nil {
		return err
	}
	return s.tx(ctx, func(q sqlx.ExtContext) error {
		var name string
		if err := s.getOne(ctx, q, &name, mkg.NotFound("trusted document "+id), `DELETE FROM trusted_documents WHERE id = ? RETURNING name`, id); err != nil {
			return err
		}
		return s.record(ctx, q, by, s.now(), "document.remove", "document", id, map[string]any{"name": name})
	})
}
