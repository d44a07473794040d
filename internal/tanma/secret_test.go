package tanma_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// secretValue has no digit run, so nothing else could hide it by accident.
const secretValue = "sk-live-abcdefghijklmnopqrstuvwxyz"

// holder is a config struct holding the secret in an exported field.
type holder struct {
	AppID  string
	AppKey tanma.Secret
}

func TestSecretFmt(t *testing.T) {
	t.Parallel()
	s := tanma.Secret(secretValue)
	h := holder{AppID: "app", AppKey: s}
	tests := []struct {
		name string
		got  string
	}{
		{"%v", fmt.Sprintf("%v", s)},
		{"%s", fmt.Sprintf("%s", s)},
		{"%q", fmt.Sprintf("%q", s)},
		{"%#v", fmt.Sprintf("%#v", s)},
		{"%+v", fmt.Sprintf("%+v", s)},
		{"%x", fmt.Sprintf("%x", s)},
		{"%10.3s", fmt.Sprintf("%10.3s", s)},
		{"Sprint", fmt.Sprint(s)},
		{"Sprintln", fmt.Sprintln(s)},
		{"String", s.String()},
		{"GoString", s.GoString()},
		{"pointer %v", fmt.Sprintf("%v", &s)},
		{"struct %v", fmt.Sprintf("%v", h)},
		{"struct %+v", fmt.Sprintf("%+v", h)},
		{"struct %#v", fmt.Sprintf("%#v", h)},
		{"struct pointer %+v", fmt.Sprintf("%+v", &h)},
		{"slice %v", fmt.Sprintf("%v", []tanma.Secret{s})},
		{"map %v", fmt.Sprintf("%v", map[string]tanma.Secret{"k": s})},
		{"wrapped error", fmt.Errorf("bad key %v", s).Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.NotContains(t, tt.got, secretValue)
			assert.NotContains(t, tt.got, "abcdefghijklmnop", "no part of the secret either")
			assert.Contains(t, tt.got, "REDACTED")
		})
	}
}

func TestSecretJSON(t *testing.T) {
	t.Parallel()
	s := tanma.Secret(secretValue)
	tests := []struct {
		name string
		v    any
	}{
		{"bare", s},
		{"struct", holder{AppID: "app", AppKey: s}},
		{"struct pointer", &holder{AppID: "app", AppKey: s}},
		{"map value", map[string]tanma.Secret{"k": s}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(tt.v)
			require.NoError(t, err)
			assert.NotContains(t, string(b), secretValue)
			assert.Contains(t, string(b), "REDACTED")
			assert.True(t, json.Valid(b))
		})
	}
}

func TestSecretSlog(t *testing.T) {
	t.Parallel()
	s := tanma.Secret(secretValue)
	tests := []struct {
		name    string
		handler func(*bytes.Buffer) slog.Handler
	}{
		{"json", func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) }},
		{"text", func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			log := slog.New(tt.handler(&buf))
			log.Info("config", "appKey", s, "holder", holder{AppID: "app", AppKey: s})
			log.Info("attr", slog.Any("key", s), slog.String("kind", "secret"))
			log.With("key", s).Info("with")
			log.Info("group", slog.Group("tanma", "appKey", s))
			assert.NotContains(t, buf.String(), secretValue)
			assert.Contains(t, buf.String(), "REDACTED")
		})
	}
}

func TestSecretReveal(t *testing.T) {
	t.Parallel()
	assert.Equal(t, secretValue, tanma.Secret(secretValue).Reveal())
	assert.Empty(t, tanma.Secret("").Reveal())
}

// TestClientDoesNotPrintKey: the client holds the key in an unexported
// field, where fmt cannot call Secret's Format and prints the raw string.
func TestClientDoesNotPrintKey(t *testing.T) {
	t.Parallel()
	c, err := tanma.NewClient(tanma.WithCredentials(testAppID, secretValue))
	require.NoError(t, err)
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("upstream", "client", c)
	for name, got := range map[string]string{
		"%v":   fmt.Sprintf("%v", c),
		"%+v":  fmt.Sprintf("%+v", c),
		"%#v":  fmt.Sprintf("%#v", c),
		"%v *": fmt.Sprintf("%v", *c),
		"slog": buf.String(),
	} {
		assert.NotContains(t, got, secretValue, name)
	}
}
