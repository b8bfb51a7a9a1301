package suppress_test

import (
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"testing"

	"github.com/authlint/authlint/internal/testtree"

	"github.com/authlint/authlint/internal/lint"
)

// run lints one nginx.conf (or an Apache/.htaccess tree) and returns
// `rule line` strings.
func run(t *testing.T, files map[string]string) []string {
	t.Helper()
	dir := testtree.Write(t, files)
	res, err := lint.Run(lint.Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range res.Findings {
		out = append(out, f.Rule+" "+filepath.Base(f.Pos.File)+":"+strconv.Itoa(f.Pos.Line))
	}
	sort.Strings(out)
	return out
}

const head = "events {}\nhttp {\n    server {\n        listen 8080;\n"

func TestSuppressions(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"unsuppressed", `        location /a/ {
            auth_basic "x";
        }`, []string{"nginx-auth-basic-no-user-file nginx.conf:6"}},
		{"line above", `        location /a/ {
            # authlint:ignore nginx-auth-basic-no-user-file -- the file comes from an include on the server
            auth_basic "x";
        }`, nil},
		{"stacked above", `        location /a/ {
            # authlint:ignore site-wide-auth -- unrelated, reported unused
            # authlint:ignore nginx-auth-basic-no-user-file -- reason
            auth_basic "x";
        }`, []string{"suppression-unused nginx.conf:6"}},
		{"trailing on the same line", `        location /a/ {
            auth_basic "x"; # authlint:ignore nginx-auth-basic-no-user-file -- reason
        }`, nil},
		{"several rules", `        location /a/ {
            # authlint:ignore site-wide-auth,nginx-auth-basic-no-user-file -- reason
            auth_basic "x";
        }`, nil},
		{"no reason", `        location /a/ {
            # authlint:ignore nginx-auth-basic-no-user-file
            auth_basic "x";
        }`, []string{"nginx-auth-basic-no-user-file nginx.conf:7", "suppression-invalid nginx.conf:6"}},
		{"unknown rule", `        location /a/ {
            # authlint:ignore no-such-rule -- reason
            auth_basic "x";
        }`, []string{"nginx-auth-basic-no-user-file nginx.conf:7", "suppression-invalid nginx.conf:6"}},
		{"wrong rule is unused", `        location /a/ {
            # authlint:ignore site-wide-auth -- reason
            auth_basic "x";
        }`, []string{"nginx-auth-basic-no-user-file nginx.conf:7", "suppression-unused nginx.conf:6"}},
		{"blank line breaks adjacency", `        location /a/ {
            # authlint:ignore nginx-auth-basic-no-user-file -- reason

            auth_basic "x";
        }`, []string{"nginx-auth-basic-no-user-file nginx.conf:8", "suppression-unused nginx.conf:6"}},
		{"whole file", `        # authlint:ignore-file nginx-auth-basic-no-user-file -- legacy vhost, tracked in #123
        location /a/ {
            auth_basic "x";
        }
        location /b/ {
            auth_basic "y";
        }`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := run(t, map[string]string{"nginx.conf": head + tc.body + "\n    }\n}\n"})
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestApacheSuppressionAbove(t *testing.T) {
	got := run(t, map[string]string{
		"nginx.conf": head + "        location /a/ {\n            auth_basic \"x\";\n        }\n    }\n}\n",
		"site.conf":  "<Location /x>\n    # authlint:ignore site-wide-auth -- reason\n    Require all granted\n</Location>\n",
	})
	// The Apache comment is parsed (its own line) and, matching nothing, is unused.
	if !slices.Contains(got, "suppression-unused site.conf:2") {
		t.Fatalf("got %q", got)
	}
}
