package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// scanLog summarises the gateway's log (JSON lines): lines by level, and
// any line that is not JSON (a panic's stack, a runtime error).
func scanLog(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	levels := map[string]int{}
	plain, panics := 0, 0
	var firstError, firstPlain string
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 1<<20), 1<<20)
	for s.Scan() {
		line := s.Text()
		var e struct {
			Level string `json:"level"`
			Msg   string `json:"msg"`
		}
		if json.Unmarshal([]byte(line), &e) != nil {
			plain++
			if firstPlain == "" {
				firstPlain = line
			}
			if strings.Contains(line, "panic") {
				panics++
			}
			continue
		}
		levels[e.Level]++
		if e.Level == "ERROR" && firstError == "" {
			firstError = fmt.Sprintf("%.300s", line)
		}
	}
	out := fmt.Sprintf("lines by level %s; %d lines not JSON (%d mention panic)", counts(levels), plain, panics)
	if firstError != "" {
		out += "; first ERROR: " + firstError
	}
	if firstPlain != "" {
		out += fmt.Sprintf("; first line not JSON: %.300s", firstPlain)
	}
	return out
}
