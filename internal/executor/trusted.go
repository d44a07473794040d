package executor

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/tanma-gql/gateway/internal/apperr"
)

// TrustedDocuments are the only GraphQL documents the gateway runs when
// they are configured, by the hex sha256 of their text (the APQ hash).
type TrustedDocuments map[string]string

// LoadTrustedDocuments reads a JSON object mapping the sha256 of each
// document to its text: the persisted-documents.json that graphql-codegen's
// client preset writes with persistedDocuments: {hashAlgorithm: 'sha256'}.
// A hash that is not the sha256 of its document is an error.
func LoadTrustedDocuments(path string) (TrustedDocuments, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("trusted documents: %w", err)
	}
	var in map[string]string
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, fmt.Errorf("trusted documents %s: want a JSON object of sha256 → document: %w", path, err)
	}
	if len(in) == 0 {
		// An empty list would run nothing; a file of `null` would, read
		// naively, turn the allowlist off. Both are mistakes.
		return nil, fmt.Errorf("trusted documents %s: no documents", path)
	}
	docs := make(TrustedDocuments, len(in))
	for hash, doc := range in {
		hash = strings.ToLower(hash)
		if sum := sha256.Sum256([]byte(doc)); hex.EncodeToString(sum[:]) != hash {
			return nil, fmt.Errorf("trusted documents %s: %q is not the sha256 of its document", path, hash)
		}
		docs[hash] = doc
	}
	return docs, nil
}

// trustedOnly refuses every operation whose document is not trusted,
// before automatic persisted queries run (so nothing untrusted is ever
// registered). A request may send the document or, with APQ, only its hash.
type trustedOnly struct{ docs TrustedDocuments }

var (
	_ graphql.HandlerExtension          = trustedOnly{}
	_ graphql.OperationParameterMutator = trustedOnly{}
)

func (trustedOnly) ExtensionName() string                   { return "TrustedDocuments" }
func (trustedOnly) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters refuses an untrusted document.
func (t trustedOnly) MutateOperationParameters(_ context.Context, p *graphql.RawParams) *gqlerror.Error {
	hash := apqHash(p)
	if p.Query != "" {
		sum := sha256.Sum256([]byte(p.Query))
		hash = hex.EncodeToString(sum[:])
	}
	if _, ok := t.docs[hash]; ok {
		return nil
	}
	err := gqlerror.Errorf("only trusted documents may run on this gateway: this operation is not one of them")
	setCode(err, apperr.PersistedQueryNotAllowed)
	return err
}

// apqHash is the sha256 an APQ request names, or "".
func apqHash(p *graphql.RawParams) string {
	pq, _ := p.Extensions["persistedQuery"].(map[string]any)
	h, _ := pq["sha256Hash"].(string)
	return strings.ToLower(h)
}

// trustedCache is the automatic persisted query cache when trusted
// documents are on: the trusted documents themselves, so a client may send
// only their hashes from its first request. Nothing is ever added to it.
type trustedCache struct{ docs TrustedDocuments }

func (c trustedCache) Get(_ context.Context, hash string) (string, bool) {
	doc, ok := c.docs[hash]
	return doc, ok
}

func (trustedCache) Add(context.Context, string, string) {}
