package relay

import (
	"encoding/base64"
	"strings"

	"github.com/tanma-gql/gateway/internal/apperr"
)

// GlobalID returns the opaque id of a Node: base64 of "Type:upstreamID".
func GlobalID(typeName, id string) string {
	return base64.StdEncoding.EncodeToString([]byte(typeName + ":" + id))
}

// ParseGlobalID splits a global id into its type name and upstream id. A
// malformed id is a BAD_USER_INPUT error.
func ParseGlobalID(gid string) (typeName, id string, err error) {
	b, err := base64.StdEncoding.DecodeString(gid)
	if err == nil {
		var ok bool
		typeName, id, ok = strings.Cut(string(b), ":")
		if ok && typeName != "" && id != "" {
			return typeName, id, nil
		}
	}
	return "", "", apperr.BadInput("malformed id %q: not a global id of this API", clip(gid))
}

// clip shortens echoed input so errors stay small.
func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
