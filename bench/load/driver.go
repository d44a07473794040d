package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// driver sends queries to the gateway.
type driver struct {
	url    string
	client *http.Client
}

// response is what the driver reads of an answer.
type response struct {
	status int
	Data   map[string]json.RawMessage `json:"data"`
	Errors []struct {
		Extensions struct {
			Code string `json:"code"`
		} `json:"extensions"`
	} `json:"errors"`
}

// partial reports an answer that carries data beside its errors.
func (r response) partial() bool {
	for _, v := range r.Data {
		if !bytes.Equal(v, []byte("null")) {
			return true
		}
	}
	return false
}

// send posts one query; it reports failure (transport, status, or errors).
func (d *driver) send(query string, vars map[string]any) (response, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	resp, err := d.client.Post(d.url, "application/json", bytes.NewReader(body))
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{status: resp.StatusCode}, err
	}
	r := response{status: resp.StatusCode}
	if err := json.Unmarshal(raw, &r); err != nil {
		return r, err
	}
	if resp.StatusCode != http.StatusOK || len(r.Errors) > 0 {
		return r, fmt.Errorf("status %d: %.200s", resp.StatusCode, raw)
	}
	return r, nil
}

// warm runs the shape once per owner, so reference caches are warm. With
// injected upstream errors a query may need several tries, spaced past the
// 5 s in which reference data that failed to load answers the same error.
func (d *driver) warm(s shape) error {
	for c := range owners {
		var err error
		for range 20 {
			if _, err = d.send(s.query, s.vars(c, 0)); err == nil {
				break
			}
			time.Sleep(time.Second)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// drive runs clients concurrently until duration has passed.
func (d *driver) drive(s shape, clients int, duration time.Duration) *result {
	res := &result{}
	start := time.Now()
	deadline := start.Add(duration)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for n := 0; time.Now().Before(deadline); n++ {
				vars := s.vars(c, n)
				for {
					t0 := time.Now()
					r, err := d.send(s.query, vars)
					lat := time.Since(t0)
					res.mu.Lock()
					res.queries++
					res.latencies = append(res.latencies, lat)
					if err != nil {
						res.failed(r)
					}
					res.mu.Unlock()
					next, more := nextCursor(r)
					if !s.walk || err != nil || !more || time.Now().After(deadline) {
						break
					}
					vars = map[string]any{"owner": vars["owner"], "after": next}
				}
			}
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

// nextCursor reads customers.pageInfo of a walk's answer.
func nextCursor(r response) (string, bool) {
	var c struct {
		PageInfo struct {
			HasNextPage bool   `json:"hasNextPage"`
			EndCursor   string `json:"endCursor"`
		} `json:"pageInfo"`
	}
	if json.Unmarshal(r.Data["customers"], &c) != nil {
		return "", false
	}
	return c.PageInfo.EndCursor, c.PageInfo.HasNextPage
}
