package rules_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authlint/authlint/internal/lint"
	"github.com/authlint/authlint/rules"
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
	found := false
	for _, f := range lintNginx(t, conf) {
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

// lintNginx lints one nginx.conf text and returns its findings.
func lintNginx(t *testing.T, conf string) []rules.Finding {
	t.Helper()
	path := filepath.Join(t.TempDir(), "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := lint.Run(lint.Options{Paths: []string{path}})
	if err != nil {
		t.Fatal(err)
	}
	return res.Findings
}

// TestSiteWideNamesTheLimitExceptLevel: auth that sits in a limit_except
// block is named as such in the message.
func TestSiteWideNamesTheLimitExceptLevel(t *testing.T) {
	conf := `events {}
http {
    server {
        location / {
            limit_except OPTIONS { auth_basic "x"; auth_basic_user_file /etc/nginx/htpasswd; }
            proxy_pass http://127.0.0.1:9000;
        }
    }
}
`
	found := false
	for _, f := range lintNginx(t, conf) {
		if f.Rule != "site-wide-auth" {
			continue
		}
		found = true
		if !strings.Contains(f.Message, "`auth_basic \"x\";` in the limit_except block applies") {
			t.Errorf("message %q should say the auth sits in the limit_except block", f.Message)
		}
	}
	if !found {
		t.Fatal("no site-wide-auth finding")
	}
}
