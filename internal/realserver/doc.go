// Package realserver shows, on the real nginx and apache2 from Debian, that
// the rule fixtures behave the way the rules say: every tree under
// fixtures/<rule-id>/ that carries a probe.yaml is started on a real server
// and probed, and authlint's findings on the same tree are checked. The
// package has only tests; this file documents the scheme.
//
// # probe.yaml
//
//	server: nginx            # or apache
//	config: nginx.conf       # main config in the tree (default nginx.conf, etc/apache2/apache2.conf)
//	modules: [auth_basic]    # apache: loaded from /usr/lib/apache2/modules, with mpm_prefork, authz_core
//	                         # and dir, unless the tree loads them (or an MPM of its own)
//	cgi: [usr/lib/cgi-bin/app]  # where to install the CGI back end (this test binary, run via net/http/cgi)
//	upstreams: {"127.0.0.1:9": http}  # more upstream addresses for the back ends
//	requests:
//	  - {method: GET, path: /, status: 401, why: "the homepage asks for the password"}
//	  - {method: GET, path: /, auth: "u:p", status: 200}
//	  - method: OPTIONS
//	    path: /api/x
//	    port: 8081           # the fixture's own port number; default its lowest
//	    headers: {Origin: "https://app.example.com", Access-Control-Request-Method: PUT}
//	    status: 204
//	    response: {Access-Control-Allow-Origin: "https://app.example.com", WWW-Authenticate: ""}  # "" = absent
//	  - {method: GET, path: /status, status: 200, body: "build 42"}  # text the body contains
//	  - method: GET
//	    path: /api/x
//	    headers: {Authorization: "Bearer tok"}
//	    status: 200
//	    backend: {via: http, authorization: "Bearer tok"}  # "" = arrived without credentials; reached: false = never arrived
//
// status: 444 means nginx's `return 444`: the connection closes without a
// response. The fixtures' htpasswd files hold user u, password p.
//
// # Rendering
//
// A tree is copied into a fresh temp dir and changed only where a test run
// must differ from production, never in what the rule is about:
//   - Listen ports: every port in nginx `listen` and Apache `Listen` /
//     `<VirtualHost *:N>` is replaced by a free high port, the same number
//     for the same fixture port, and every listen address becomes 127.0.0.1.
//     Probes name the fixture's port (8080), not the real one.
//   - Upstreams: 127.0.0.1:9000 becomes the test's HTTP back end and
//     127.0.0.1:9001 its FastCGI back end, both written in Go inside the
//     test; they record what they received: the headers, or the FastCGI
//     params (HTTP_AUTHORIZATION). probe.yaml's upstreams map further
//     addresses: {"127.0.0.1:9": http} (a fixture's discard port),
//     {"/run/php/php8.2-fpm.sock": fastcgi} (the FastCGI back end also
//     listens on a unix socket of its own). A CGI back end, the test
//     binary itself answering through net/http/cgi, is installed where
//     probe.yaml's cgi list says and reports the HTTP_AUTHORIZATION
//     variable it got in a response header.
//   - Sysroot trees (copies of /): an absolute path /A/B/... with A one of
//     etc, var, srv, usr, opt, home is rendered into the temp dir when the
//     tree has A/B (/etc/apache2/htpasswd becomes
//     <tmp>/etc/apache2/htpasswd, while /etc/mime.types stays the
//     system's in a tree that has etc/apache2 only); module directories
//     (/usr/lib/apache2/modules, /usr/lib/nginx/modules) always stay.
//   - Writes stay inside: absolute log, pid and socket paths outside the
//     temp dir (nginx access_log/error_log, Apache ErrorLog, CustomLog,
//     PidFile, ScriptSock) move into <tmp>/log, and nginx's own pid,
//     daemon, master_process and worker_processes lines are commented out
//     (the command line sets them).
//   - nginx: the main config's `http {` line gains access_log and the
//     *_temp_path directives inside the temp dir, on the same line;
//     nginx runs as `nginx -p <tmp>/ -c <tmp>/<config> -e <tmp>/error.log
//     -g 'daemon off; master_process on; worker_processes 1; pid <tmp>/server.pid;'`.
//   - Apache: `apache2 -DFOREGROUND -d <dir of config> -f <config>` with
//     DefaultRuntimeDir, LoadModule, ServerName and (as root) User/Group
//     www-data given with -C before the config, PidFile, ErrorLog and
//     StartServers 1 with -c after it; APACHE_RUN_DIR, APACHE_LOG_DIR
//     and the other APACHE_* variables of Debian's envvars are set to
//     paths in the temp dir, but envvars itself is not read.
//
// Relative nginx paths (root html, auth_basic_user_file htpasswd) resolve
// against the prefix, which is the temp dir: the tree's html/ and htpasswd.
//
// Once a server answers, its listening sockets (from /proc) must all be
// on 127.0.0.1. Servers are stopped by PID with SIGTERM in t.Cleanup, also
// when a test fails, and their error log is printed on failure. Trees run
// in parallel, each with its own ports, back ends and temp dir.
//
// Without nginx or apache2 the tests skip, except under CI=true, where a
// missing server is a failure. AUTHLINT_NGINX and AUTHLINT_APACHE2 name
// other binaries (AUTHLINT_NGINX=/nonexistent shows the skip).
package realserver
