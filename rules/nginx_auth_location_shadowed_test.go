package rules_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authlint/authlint/internal/lint"
)

// TestShadowedHintNamesTheRightCaret: ^~ works per level, so when a
// server-level regex beats a nested protected prefix, the fix is a ^~ on
// the top-level location, not on the nested one (V: nginx 1.22 serves
// /a/static/x.txt from the regex although /a/static/ is ^~).
func TestShadowedHintNamesTheRightCaret(t *testing.T) {
	conf := `events {}
http {
    server {
        location /a/ {
            location ^~ /a/static/ { auth_basic "x"; auth_basic_user_file /etc/nginx/htpasswd; }
        }
        location ~ \.txt$ { }
    }
}
`
	path := filepath.Join(t.TempDir(), "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := lint.Run(lint.Options{Paths: []string{path}})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range res.Findings {
		if f.Rule != "nginx-auth-location-shadowed" {
			continue
		}
		found = true
		if !strings.Contains(f.Hint, "make `location /a/` a `^~` location") {
			t.Errorf("hint %q should ask for ^~ on location /a/", f.Hint)
		}
	}
	if !found {
		t.Fatal("no nginx-auth-location-shadowed finding")
	}
}
