package tanma_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

func TestNewClient(t *testing.T) {
	t.Parallel()
	creds := tanma.WithCredentials(testAppID, testAppKey)
	tests := []struct {
		name    string
		opts    []tanma.Option
		wantErr bool
	}{
		{name: "default base URL", opts: []tanma.Option{creds}},
		{name: "https base URL", opts: []tanma.Option{creds, tanma.WithBaseURL("https://api.tanmarket.cn:20066/api")}},
		{name: "http base URL", opts: []tanma.Option{creds, tanma.WithBaseURL("http://127.0.0.1:9090")}},
		{name: "no credentials", opts: nil, wantErr: true},
		{name: "missing app id", opts: []tanma.Option{tanma.WithCredentials("", testAppKey)}, wantErr: true},
		{name: "missing app key", opts: []tanma.Option{tanma.WithCredentials(testAppID, "")}, wantErr: true},
		{name: "relative base URL", opts: []tanma.Option{creds, tanma.WithBaseURL("/apiServer")}, wantErr: true},
		{name: "host without scheme", opts: []tanma.Option{creds, tanma.WithBaseURL("account.tanmarket.cn/apiServer")}, wantErr: true},
		{name: "empty base URL", opts: []tanma.Option{creds, tanma.WithBaseURL("")}, wantErr: true},
		{name: "ftp base URL", opts: []tanma.Option{creds, tanma.WithBaseURL("ftp://account.tanmarket.cn/apiServer")}, wantErr: true},
		{name: "scheme without host", opts: []tanma.Option{creds, tanma.WithBaseURL("https:///apiServer")}, wantErr: true},
		{name: "unparsable base URL", opts: []tanma.Option{creds, tanma.WithBaseURL("http://[::1")}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := tanma.NewClient(tt.opts...)
			if tt.wantErr {
				require.Error(t, err)
				assert.Nil(t, c)
				assert.NotContains(t, err.Error(), testAppKey.Reveal())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, testAppID, c.AppID())
		})
	}
}
