package config

import (
	"errors"
	"fmt"
	"os"

	"github.com/redis/go-redis/v9"
)

// Scaling is what replicas share, and how each behaves when it cannot.
type Scaling struct {
	// RedisURL (REDIS_URL, a redis:// or rediss:// URL that may hold a
	// password: never log it) shares the upstream quota, persisted queries
	// and reference data between replicas. Empty: everything in memory.
	RedisURL string
	// RedisRequired (REDIS_REQUIRED) makes /readyz fail while Redis is
	// unreachable. Off by default: replicas keep serving on local fallbacks.
	RedisRequired bool
	// QPSReplicas (TANMA_QPS_REPLICAS, default 1) is how many replicas share
	// TANMA_QPS when they cannot coordinate through Redis (REDIS_URL unset or
	// Redis down): each then keeps TANMA_QPS / QPSReplicas on its own.
	QPSReplicas int
	// TrustedDocuments (TRUSTED_DOCUMENTS) is the path of a JSON object
	// mapping sha256 hashes to GraphQL documents; when set, only those
	// documents may run. Empty: any document may run.
	TrustedDocuments string
}

func loadScaling(e *env) Scaling {
	s := Scaling{
		RedisURL:         e.get("REDIS_URL"),
		RedisRequired:    e.boolean("REDIS_REQUIRED", false),
		QPSReplicas:      e.positive("TANMA_QPS_REPLICAS", 1),
		TrustedDocuments: e.get("TRUSTED_DOCUMENTS"),
	}
	if s.RedisURL != "" {
		// The parse error may quote the URL, password included: name the
		// variable, not its value.
		if _, err := redis.ParseURL(s.RedisURL); err != nil {
			e.fail(errors.New("REDIS_URL must be a redis:// or rediss:// URL such as redis://:password@redis:6379/0"))
		}
	}
	if s.RedisRequired && s.RedisURL == "" {
		e.fail(errors.New("REDIS_REQUIRED is true but REDIS_URL is not set"))
	}
	if s.TrustedDocuments != "" {
		if _, err := os.Stat(s.TrustedDocuments); err != nil {
			e.fail(fmt.Errorf("TRUSTED_DOCUMENTS: %w", err))
		}
	}
	return s
}
