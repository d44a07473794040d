package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/MicahParks/jwkset"
	"golang.org/x/sync/singleflight"
)

// maxJWKSBytes caps the size of a JWKS document.
const maxJWKSBytes = 1 << 20

// keySet is the issuer's JWKS, kept in memory and refreshed in the
// background. It is the jwkset.Storage behind the keyfunc: a lookup of an
// unknown kid fetches the set again (key rotation), at most once per
// forcedGap, and concurrent fetches are shared.
//
// keyfunc's own HTTP storage is not used because it fetches synchronously
// when created, logs through slog.Default, and offers no way to wait for its
// refresh goroutine to stop.
type keySet struct {
	*jwkset.MemoryJWKSet

	url       string
	client    *http.Client
	timeout   time.Duration // bound on one fetch
	interval  time.Duration // between background refreshes
	retry     time.Duration // after a failed background refresh
	forcedGap time.Duration // between refreshes for an unknown kid
	now       func() time.Time
	onError   func(error)

	ctx    context.Context // ends with Close
	cancel context.CancelFunc
	done   chan struct{} // closed when the refresh goroutine has returned

	flight     singleflight.Group
	mu         sync.Mutex
	lastForced time.Time
}

var _ jwkset.Storage = (*keySet)(nil)

// newKeySet builds the key set; start begins fetching it.
func newKeySet(ctx context.Context, c JWTConfig) *keySet {
	k := &keySet{
		MemoryJWKSet: jwkset.NewMemoryStorage(),
		url:          c.JWKSURL,
		client:       c.HTTPClient,
		timeout:      DefaultJWKSTimeout,
		interval:     c.RefreshInterval,
		retry:        min(UnknownKeyRefreshInterval, c.RefreshInterval),
		forcedGap:    UnknownKeyRefreshInterval,
		now:          time.Now,
		onError:      c.OnRefreshError,
		done:         make(chan struct{}),
	}
	k.ctx, k.cancel = context.WithCancel(ctx)
	return k
}

// start fetches the set in the background now and then every interval,
// until ctx ends or close is called.
func (k *keySet) start() { go k.run() }

func (k *keySet) run() {
	defer close(k.done)
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-k.ctx.Done():
			return
		case <-timer.C:
		}
		next := k.interval
		if err := k.refresh(); err != nil {
			next = k.retry
		}
		timer.Reset(next)
	}
}

// close stops the background refresh and waits for it to end.
func (k *keySet) close() {
	k.cancel()
	<-k.done
}

// KeyRead returns the key with the given kid, fetching the set again when
// the kid is unknown and the last such fetch is old enough.
func (k *keySet) KeyRead(ctx context.Context, kid string) (jwkset.JWK, error) {
	jwk, err := k.MemoryJWKSet.KeyRead(ctx, kid)
	if !errors.Is(err, jwkset.ErrKeyNotFound) {
		return jwk, err
	}
	k.refreshUnknown()
	return k.MemoryJWKSet.KeyRead(ctx, kid)
}

// KeyReadAll returns every key (for tokens without a kid), fetching the set
// first if none is loaded yet.
func (k *keySet) KeyReadAll(ctx context.Context) ([]jwkset.JWK, error) {
	keys, err := k.MemoryJWKSet.KeyReadAll(ctx)
	if err != nil || len(keys) > 0 {
		return keys, err
	}
	k.refreshUnknown()
	return k.MemoryJWKSet.KeyReadAll(ctx)
}

// refreshUnknown fetches the set unless it was fetched for an unknown key
// less than forcedGap ago. Concurrent callers share one fetch.
func (k *keySet) refreshUnknown() {
	_, _, _ = k.flight.Do("unknown", func() (any, error) {
		k.mu.Lock()
		now := k.now()
		if !k.lastForced.IsZero() && now.Sub(k.lastForced) < k.forcedGap {
			k.mu.Unlock()
			return nil, nil
		}
		k.lastForced = now
		k.mu.Unlock()
		return nil, k.refresh()
	})
}

// refresh fetches the set and replaces the keys in memory. On failure the
// keys already loaded stay in use. Concurrent refreshes share one fetch,
// whose failure is reported once, after the fetch is over.
func (k *keySet) refresh() error {
	v, err, _ := k.flight.Do("fetch", func() (any, error) {
		ctx, cancel := context.WithTimeout(k.ctx, k.timeout)
		defer cancel()
		keys, err := k.fetch(ctx)
		if err == nil {
			err = k.MemoryJWKSet.KeyReplaceAll(ctx, keys)
		}
		return new(sync.Once), err
	})
	if err != nil && k.onError != nil && k.ctx.Err() == nil {
		v.(*sync.Once).Do(func() { k.onError(err) })
	}
	return err
}

// fetch downloads and parses the set. Keys that are not signature keys
// (use "enc"), symmetric, private, unsupported or invalid are skipped; a set
// with no usable key is an error.
func (k *keySet) fetch(ctx context.Context) ([]jwkset.JWK, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, k.url, nil)
	if err != nil {
		return nil, fmt.Errorf("jwks: %w", err)
	}
	req.Header.Set("Accept", "application/jwk-set+json, application/json")
	resp, err := k.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("jwks: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("jwks: GET answered HTTP %d", resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxJWKSBytes+1))
	if err != nil {
		return nil, fmt.Errorf("jwks: reading the response: %w", err)
	}
	if len(body) > maxJWKSBytes {
		return nil, fmt.Errorf("jwks: response is larger than %d bytes", maxJWKSBytes)
	}
	var set jwkset.JWKSMarshal
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, errors.New("jwks: response is not a JSON Web Key Set")
	}
	keys := make([]jwkset.JWK, 0, len(set.Keys))
	for _, m := range set.Keys {
		if m.USE == jwkset.UseEnc || m.KTY == jwkset.KtyOct || m.D != "" {
			continue
		}
		jwk, err := jwkset.NewJWKFromMarshal(m, jwkset.JWKMarshalOptions{}, jwkset.JWKValidateOptions{})
		if err != nil {
			continue
		}
		keys = append(keys, jwk)
	}
	if len(keys) == 0 {
		return nil, errors.New("jwks: the set has no usable signature key")
	}
	return keys, nil
}
