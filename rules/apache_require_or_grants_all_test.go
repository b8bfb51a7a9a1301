package rules_test

import (
	"strings"
	"testing"

	"github.com/authlint/authlint/internal/testtree"

	"github.com/authlint/authlint/internal/lint"
)

// TestRequireOrGrantsAllSeverity: where the grant sits decides the
// severity (error, info) or silence.
func TestRequireOrGrantsAllSeverity(t *testing.T) {
	auth := "AuthType Basic\nAuthName x\nAuthUserFile /etc/apache2/htpasswd\n"
	for _, tc := range []struct {
		name, body string
		want       string // "" for no finding
	}{
		{"implicit any, all granted", "Require valid-user\nRequire all granted\n", "error"},
		{"implicit any, local", "Require local\nRequire valid-user\n", "info"},
		{"explicit any, network", "<RequireAny>\nRequire ip 10.0.0.0/8\nRequire valid-user\n</RequireAny>\n", ""},
		{"explicit any, all granted", "<RequireAny>\nRequire all granted\nRequire valid-user\n</RequireAny>\n", "error"},
		{"any under all", "<RequireAll>\nRequire ip 10.0.0.0/8\n<RequireAny>\nRequire all granted\nRequire valid-user\n</RequireAny>\n</RequireAll>\n", "info"},
		{"grant limited to GET", "<Limit GET>\nRequire all granted\n</Limit>\nRequire valid-user\n", ""},
		{"negated", "<RequireAll>\nRequire not ip 10.0.0.0/8\nRequire valid-user\n</RequireAll>\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conf := "ServerRoot /etc/apache2\nDocumentRoot /var/www/html\n<Directory /var/www/html/admin>\n" + auth + tc.body + "</Directory>\n"
			root := testtree.Write(t, map[string]string{"etc/apache2/apache2.conf": conf, "var/www/html/admin/index.html": "x\n"})
			res, err := lint.Run(lint.Options{Paths: []string{root}})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range res.Findings {
				if f.Rule == "apache-require-or-grants-all" {
					got = append(got, f.Severity.String())
				}
			}
			if strings.Join(got, ",") != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
