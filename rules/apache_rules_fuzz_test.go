package rules_test

import (
	"strings"
	"testing"

	"github.com/authlint/authlint/internal/testtree"

	"github.com/authlint/authlint/internal/lint"
)

// FuzzApacheRules runs every rule over an arbitrary apache2.conf and
// .htaccess in a sysroot tree: a bug in the Apache rules or model must
// never surface as an internal error (guardApache would report it).
func FuzzApacheRules(f *testing.F) {
	f.Add("DocumentRoot /var/www/html\n<Directory /var/www/html/admin>\nAuthType Basic\nAuthName x\n<Limit GET>\nRequire valid-user\n</Limit>\nSatisfy Any\n</Directory>\n<Location />\nAuthMerging Or\nRequire all granted\n</Location>\n",
		"AuthType Basic\nRequire valid-user\nRequire env x\n<FilesMatch \"\\.(css|js)$\">\nRequire all granted\n</FilesMatch>\n")
	f.Add("ServerRoot /var/www\nAuthUserFile html/p\n<If \"%{HTTP_HOST} == 'x'\">\nRequire all granted\n</If>\n<Files \".ht*\">\nRequire all denied\n</Files>\n", "Require ip 0.0.0.0/0\nSatisfy any\nOrder deny,allow\n")
	f.Fuzz(func(t *testing.T, conf, htaccess string) {
		root := testtree.Write(t, map[string]string{
			"etc/apache2/apache2.conf":     "DocumentRoot /var/www/html\n<Directory /var/www/html>\nAllowOverride All\n</Directory>\n" + conf,
			"var/www/html/admin/.htaccess": htaccess,
		})
		res, err := lint.Run(lint.Options{Paths: []string{root}})
		if err != nil {
			return
		}
		for _, f := range res.Findings {
			if strings.Contains(f.Message, "internal error") {
				t.Fatalf("%s: %s", f.Rule, f.Message)
			}
		}
	})
}
