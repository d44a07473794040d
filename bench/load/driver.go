package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
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

// send posts one query of shape s; it reports failure (transport, status,
// or errors).
func (d *driver) send(s shape, vars map[string]any) (response, error) {
	r, _, err := d.sendTimed(s, vars)
	return r, err
}

// sendTimed is send that also returns how long the first part of the
// answer took to arrive whole: the whole answer's time when it is not
// multipart.
func (d *driver) sendTimed(s shape, vars map[string]any) (response, time.Duration, error) {
	body, _ := json.Marshal(map[string]any{"query": s.query, "variables": vars})
	req, err := http.NewRequest(http.MethodPost, d.url, bytes.NewReader(body))
	if err != nil {
		return response{}, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if s.incremental {
		req.Header.Set("Accept", "multipart/mixed;deferSpec=20220824,application/json")
	}
	start := time.Now()
	resp, err := d.client.Do(req)
	if err != nil {
		return response{}, 0, err
	}
	defer resp.Body.Close()
	if mediaType, params, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mediaType == "multipart/mixed" {
		return readParts(resp, params["boundary"], start)
	}
	raw, err := io.ReadAll(resp.Body)
	first := time.Since(start)
	if err != nil {
		return response{status: resp.StatusCode}, first, err
	}
	r := response{status: resp.StatusCode}
	if err := json.Unmarshal(raw, &r); err != nil {
		return r, first, err
	}
	if resp.StatusCode != http.StatusOK || len(r.Errors) > 0 {
		return r, first, fmt.Errorf("status %d: %.200s", resp.StatusCode, raw)
	}
	return r, first, nil
}

// part is one part of a multipart/mixed answer: the initial payload's data
// and errors, or a later payload's incremental entries.
type part struct {
	response
	Incremental []response `json:"incremental"`
	HasNext     bool       `json:"hasNext"`
}

// readParts reads a multipart/mixed answer: the initial payload's data,
// the errors of every part, and when the first part had arrived whole.
func readParts(resp *http.Response, boundary string, start time.Time) (response, time.Duration, error) {
	r := response{status: resp.StatusCode}
	var first time.Duration
	mr := multipart.NewReader(resp.Body, boundary)
	last := part{HasNext: true}
	for n := 0; ; n++ {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return r, first, err
		}
		last = part{}
		if err := json.NewDecoder(p).Decode(&last); err != nil {
			return r, first, err
		}
		if n == 0 {
			first = time.Since(start)
			r.Data = last.Data
		}
		r.Errors = append(r.Errors, last.Errors...)
		for _, inc := range last.Incremental {
			r.Errors = append(r.Errors, inc.Errors...)
		}
	}
	switch {
	case last.HasNext:
		return r, first, fmt.Errorf("the answer ended before its last part")
	case resp.StatusCode != http.StatusOK || len(r.Errors) > 0:
		return r, first, fmt.Errorf("status %d: %d errors, the first %s", resp.StatusCode, len(r.Errors), r.Errors[0].Extensions.Code)
	}
	return r, first, nil
}

// warm runs the shape once per owner, so reference caches are warm. With
// injected upstream errors a query may need several tries, spaced past the
// 5 s in which reference data that failed to load answers the same error.
func (d *driver) warm(s shape) error {
	for c := range owners {
		var err error
		for range 20 {
			if _, err = d.send(s, s.vars(c, 0)); err == nil {
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
	return runClients(clients, duration, func(res *result, c, n int, deadline time.Time) {
		vars := s.vars(c, n)
		for {
			t0 := time.Now()
			r, first, err := d.sendTimed(s, vars)
			lat := time.Since(t0)
			if !s.incremental {
				first = -1
			}
			res.add(lat, first, r, err)
			next, more := nextCursor(r)
			if !s.walk || err != nil || !more || time.Now().After(deadline) {
				break
			}
			vars = map[string]any{"owner": vars["owner"], "after": next}
		}
	})
}

// runClients runs clients concurrently, each calling turn for its n-th
// turn until duration has passed, and returns what turn added to the
// result and how long they all took.
func runClients(clients int, duration time.Duration, turn func(res *result, c, n int, deadline time.Time)) *result {
	res := &result{}
	start := time.Now()
	deadline := start.Add(duration)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for n := 0; time.Now().Before(deadline); n++ {
				turn(res, c, n, deadline)
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
