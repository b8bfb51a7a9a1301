package lint

import (
	"fmt"
	"strings"
	"testing"

	"github.com/authlint/authlint/internal/testtree"
)

// BenchmarkRunManyVhosts lints an nginx tree of 500 virtual hosts with
// auth, CORS and proxy locations (the whole pipeline: discovery, parsing,
// loading, every rule). Run with `go test -bench . ./internal/lint/` or
// .ci/bench.
func BenchmarkRunManyVhosts(b *testing.B) {
	files := map[string]string{"nginx.conf": "events {}\nhttp {\n    include conf.d/*.conf;\n}\n"}
	for i := range 500 {
		var s strings.Builder
		fmt.Fprintf(&s, "server {\n    listen 80;\n    server_name site%d.example.com;\n    root /var/www/site%d;\n", i, i)
		s.WriteString("    location / {\n        try_files $uri $uri/ /index.php?$args;\n    }\n")
		s.WriteString("    location /admin/ {\n        auth_basic \"Admin\";\n        auth_basic_user_file /etc/nginx/htpasswd;\n    }\n")
		s.WriteString("    location ~ \\.php$ {\n        fastcgi_pass 127.0.0.1:9000;\n    }\n")
		s.WriteString("    location /api/ {\n        add_header Access-Control-Allow-Origin https://app.example.com always;\n        proxy_pass http://127.0.0.1:8080;\n    }\n}\n")
		files[fmt.Sprintf("conf.d/site%03d.conf", i)] = s.String()
	}
	dir := testtree.Write(b, files)
	b.ResetTimer()
	for b.Loop() {
		res, err := Run(Options{Paths: []string{dir}})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Findings) < 500 {
			b.Fatalf("%d findings, want one shadowed location per vhost", len(res.Findings))
		}
	}
}
