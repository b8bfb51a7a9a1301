package discover

import (
	"strings"
	"testing"

	"github.com/authlint/authlint/parser/ast"
)

const (
	nginxServer = "server {\n    listen 80;\n    server_name example.com;\n    location / {\n        root /srv/www;\n    }\n}\n"
	apacheVhost = "<VirtualHost *:80>\n    ServerName example.com\n    DocumentRoot /srv/www\n    <Directory /srv/www>\n        Require all granted\n    </Directory>\n</VirtualHost>\n"
	envvars     = "# envvars - default environment variables for apache2ctl\nunset HOME\nif [ \"${A}\" != \"${B}\" ] ; then\n\tSUFFIX=\"-x\"\nelse\n\tSUFFIX=\nfi\nexport APACHE_RUN_USER=www-data\nexport APACHE_LOG_DIR=/var/log/apache2$SUFFIX\n"
	goCode      = "package main\n\nfunc main() {\n\tif err != nil {\n\t\treturn\n\t}\n\tfor i := range x {\n\t\tfmt.Println(i)\n\t}\n}\n"
)

func TestClassify(t *testing.T) {
	none := ast.Kind("")
	tests := []struct {
		path, content string
		want          ast.Kind
	}{
		// Name decides alone for .htaccess.
		{"www/.htaccess", "", ast.KindHtaccess},
		{"www/.htaccess", nginxServer, ast.KindHtaccess},
		{"app/htaccess.txt", "RewriteEngine On\nRewriteRule ^ index.php [L]\n", ast.KindHtaccess},
		{"app/.htaccess.dist", "Options -Indexes\n", ast.KindHtaccess},
		{"app/htaccess.txt", nginxServer, none},

		// Well-known names and places, content agreeing.
		{"etc/nginx/nginx.conf", "user www-data;\nevents { worker_connections 768; }\n", ast.KindNginx},
		{"etc/nginx/fastcgi_params", "fastcgi_param QUERY_STRING $query_string;\n", ast.KindNginx},
		{"etc/nginx/koi-utf", "charset_map koi8-r utf-8 {\n    80 E282AC ;\n}\n", ast.KindNginx},
		{"etc/nginx/mime.types", "types {\n    text/html html htm;\n}\n", ast.KindNginx},
		{"etc/apache2/apache2.conf", "Mutex file:${APACHE_LOCK_DIR} default\nTimeout 300\n", ast.KindApache},
		{"etc/apache2/mods-available/cgid.load", "LoadModule cgid_module /usr/lib/apache2/modules/mod_cgid.so\n", ast.KindApache},
		{"etc/apache2/mods-available/cgid.conf", "ScriptSock ${APACHE_RUN_DIR}/socks/cgisock\n", ast.KindApache},
		{"etc/httpd/conf.d/ssl.conf", "Listen 443 https\nSSLEngine on\n", ast.KindApache},
		{"deploy/nginx/snippets/tls.conf", "ssl_protocols TLSv1.2 TLSv1.3;\n", ast.KindNginx},

		// conf.d and sites-* are shared by both servers: content decides.
		{"conf.d/app.conf", nginxServer, ast.KindNginx},
		{"conf.d/app.conf", apacheVhost, ast.KindApache},
		{"sites-enabled/default", nginxServer, ast.KindNginx},
		{"sites-enabled/000-default", apacheVhost, ast.KindApache},
		{"site.nginx", "location /x {\n  return 204;\n}\n", ast.KindNginx},

		// Content alone: two known names, or one in a *.conf file.
		{"deploy/web", nginxServer, ast.KindNginx},
		{"deploy/vhost", apacheVhost, ast.KindApache},
		{"deploy/tokens.conf", "server_tokens off;\n", ast.KindNginx},
		{"deploy/indexes.conf", "Options -Indexes\n", ast.KindApache},
		{"deploy/tokens", "server_tokens off;\n", none},
		{"deploy/site.conf.sample", nginxServer, ast.KindNginx},
		{"deploy/httpd.conf.in", "ServerRoot \"@@ServerRoot@@\"\nListen @@Port@@\n", ast.KindApache},

		// Not configs.
		{"etc/apache2/envvars", envvars, none},
		{"scripts/envsetup", envvars, none},
		{"etc/apache2/magic", "0\tstring\t%PDF-\tapplication/pdf\n", none},
		{"etc/mime.types", "application/json\t\t\t\tjson\ntext/html\t\t\t\thtml htm\n", none},
		{"README", nginxServer, none},
		{"docs/nginx.md", nginxServer, none},
		{"deploy/values.yaml", nginxServer, none},
		{"bin/run.sh", "#!/bin/sh\nexec nginx -g 'daemon off;'\n", none},
		{"bin/run", "#!/bin/sh\nexec nginx -g 'daemon off;'\n", none},
		{"www/index.php", "<?php\necho 1;\n", none},
		{"www/page", "<!DOCTYPE html>\n<html><body>server {</body></html>\n", none},
		{"nginx/cert", "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n", none},
		{"src/main", goCode, none},
		{"t/backup", "use strict;\nmy $v = 9;\nif ($v < 9.1) {\n    system(\"x\");\n} else {\n    print 1;\n}\nif ($systemd) {\n    ok 1;\n}\nsub f {\n    return 1;\n}\n", none},
		{"dbus/session.conf", "<!-- comment -->\n<!DOCTYPE busconfig>\n<busconfig>\n  <listen>unix:tmpdir=/tmp</listen>\n</busconfig>\n", none},
		{"apt/apt.conf", "APT {\n  Architecture \"i386\";\n  Cache \"x\";\n};\nAPT::Get::Assume-Yes \"true\";\nAPT::Get::Fix-Broken \"true\";\n", none},
		{"js/rules", "polkit.addRule(function(action, subject) {\n    if (subject.isInGroup(\"admin\")) {\n        return polkit.Result.YES;\n    }\n});\n", none},
		{"macros.conf", "<Macro M %p>\nWarning %p\n</Macro>\nUse M 1\n", ast.KindApache},
		{"NOTES", "Include the header in every request.\nRequire a password, please.\n", none},
		{"app.conf", "key: value\nother: thing\n", none},
		{"settings.conf", "[section]\nname = value\n", none},
		{"nginx/empty.conf", "# only a comment\n", none},
		{"nginx/bin.conf", "server {\x00}", none},
	}
	for _, tt := range tests {
		kind, reason, ok := Classify(tt.path, []byte(tt.content))
		if tt.want == none {
			if ok {
				t.Errorf("Classify(%q, %.30q) = %q (%s), want not a config", tt.path, tt.content, kind, reason)
			}
			continue
		}
		if !ok || kind != tt.want {
			t.Errorf("Classify(%q, %.30q) = %q ok=%v (%s), want %q", tt.path, tt.content, kind, ok, reason, tt.want)
		}
		if reason == "" {
			t.Errorf("Classify(%q): empty reason", tt.path)
		}
	}
}

// TestClassifyHTMLInsideNginx: HTML quoted in `return 200 "..."` further
// down must not veto an nginx file (nginxinc/NGINX-Demos does this).
func TestClassifyHTMLInsideNginx(t *testing.T) {
	content := "server {\n  location @failed {\n    return 200 \"\n<html><head></head><body>down</body>\";\n  }\n}\n"
	if kind, reason, ok := Classify("demo.conf", []byte(content)); !ok || kind != ast.KindNginx {
		t.Errorf("got %q ok=%v (%s), want nginx", kind, ok, reason)
	}
}

// TestClassifyContinuation: Apache's backslash continuation joins lines, so
// a long Header value does not read as many odd lines.
func TestClassifyContinuation(t *testing.T) {
	content := "<IfModule mod_headers.c>\n    Header always set Permissions-Policy \"\\\n" +
		strings.Repeat("        camera=(),\\\n", 30) + "        \"\n</IfModule>\n"
	if kind, reason, ok := Classify("security/permissions.conf", []byte(content)); !ok || kind != ast.KindApache {
		t.Errorf("got %q ok=%v (%s), want apache", kind, ok, reason)
	}
}

func FuzzClassify(f *testing.F) {
	f.Add("a.conf", nginxServer)
	f.Add("b", apacheVhost)
	f.Add(".htaccess", "\\\n\\")
	f.Fuzz(func(t *testing.T, path, content string) {
		kind, _, ok := Classify(path, []byte(content))
		if ok != (kind != "") {
			t.Errorf("ok=%v but kind %q", ok, kind)
		}
	})
}
