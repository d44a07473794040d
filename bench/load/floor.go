package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// The load generator's credentials, the ones it gives the gateway.
const (
	loadAppID  = "ww0000000000000000_TEST01"
	loadAppKey = "testAppKey0123456789abcdefABCDEF"
)

// floorPageSize is what the gateway asks Tanma for a page of 50 (one more,
// to know whether a next page exists).
const floorPageSize = 51

// floor drives clients that make the page's upstream call themselves,
// straight to the sandbox: the owner's list page, signed and read whole
// (only its envelope's code is checked). Its latency is the floor under the gateway's (same
// latency knob, same machine, same owners in turn): what the gateway
// adds is the gap between the two.
func floor(sandbox string, clients int, duration time.Duration) *result {
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: clients * 2, MaxIdleConnsPerHost: clients * 2}}
	return runClients(clients, duration, func(res *result, c, n int, _ time.Time) {
		t0 := time.Now()
		err := floorCall(client, sandbox, owners[(c+n)%len(owners)])
		res.add(time.Since(t0), -1, response{}, err)
	})
}

// floorCall is one signed list call of owner's first page.
func floorCall(client *http.Client, sandbox, owner string) error {
	body, _ := json.Marshal(tanma.ListByQwUserIDRequest{QwUserID: owner, Size: floorPageSize})
	req, err := http.NewRequest(http.MethodPost, "http://"+sandbox+tanma.PathListByQwUserID, bytes.NewReader(body))
	if err != nil {
		return err
	}
	ts := tanma.Timestamp(time.Now())
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(tanma.HeaderAppID, loadAppID)
	req.Header.Set(tanma.HeaderTimestamp, ts)
	req.Header.Set(tanma.HeaderSign, tanma.Sign(loadAppID, ts, body, tanma.Secret(loadAppKey)))
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	var envelope struct {
		Code *int `json:"code"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(raw, &envelope) != nil || envelope.Code == nil || *envelope.Code != 0 {
		return fmt.Errorf("status %d: %.200s", resp.StatusCode, raw)
	}
	return nil
}

// reportFloor prints the floor's latencies and the gateway's gap above it.
func reportFloor(gateway, floor *result) {
	floor.sort()
	fmt.Printf("  floor         p50 %s  p95 %s (the page's upstream call alone, signed, straight to the sandbox; %d calls, %d errors)\n",
		ms(percentile(floor.latencies, 50)), ms(percentile(floor.latencies, 95)), floor.queries, floor.errors)
	fmt.Printf("  above floor   p50 %s  p95 %s\n",
		ms(percentile(gateway.latencies, 50)-percentile(floor.latencies, 50)),
		ms(percentile(gateway.latencies, 95)-percentile(floor.latencies, 95)))
}
