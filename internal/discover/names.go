package discover

// Directive and section names the content sniffer treats as strong signals.
// They are common names, not complete lists: an unknown name still counts as
// a weak signal when the line has the right shape.

// nginxBlocks are nginx block directives (`name ... {`).
var nginxBlocks = set(
	"http", "server", "location", "upstream", "events", "types", "map", "geo",
	"if", "limit_except", "stream", "mail", "split_clients", "charset_map",
	"match", "js_import", "perl_set",
)

// nginxDirectives are nginx simple directives (`name args;`).
var nginxDirectives = set(
	"absolute_redirect", "access_log", "add_header", "add_trailer", "aio", "alias",
	"allow", "auth_basic", "auth_basic_user_file", "auth_jwt", "auth_jwt_key_file",
	"auth_request", "auth_request_set", "autoindex", "autoindex_exact_size",
	"autoindex_localtime", "brotli", "brotli_comp_level", "brotli_static", "brotli_types",
	"charset", "charset_types", "chunked_transfer_encoding", "client_body_buffer_size",
	"client_body_temp_path", "client_body_timeout", "client_header_buffer_size",
	"client_header_timeout", "client_max_body_size", "daemon", "default_type", "deny",
	"directio", "disable_symlinks", "error_log", "error_page", "etag", "expires",
	"fastcgi_buffer_size", "fastcgi_buffers", "fastcgi_cache", "fastcgi_cache_path",
	"fastcgi_connect_timeout", "fastcgi_hide_header", "fastcgi_index", "fastcgi_intercept_errors",
	"fastcgi_param", "fastcgi_pass", "fastcgi_read_timeout", "fastcgi_split_path_info",
	"gzip", "gzip_buffers", "gzip_comp_level", "gzip_disable", "gzip_http_version",
	"gzip_min_length", "gzip_proxied", "gzip_static", "gzip_types", "gzip_vary",
	"hash", "health_check", "http2", "include", "index", "internal", "ip_hash",
	"keepalive", "keepalive_requests", "keepalive_timeout", "large_client_header_buffers",
	"least_conn", "limit_conn", "limit_conn_zone", "limit_rate", "limit_req", "limit_req_zone",
	"listen", "load_module", "log_format", "log_not_found", "merge_slashes", "multi_accept",
	"open_file_cache", "open_file_cache_errors", "open_file_cache_min_uses",
	"open_file_cache_valid", "pid", "port_in_redirect", "proxy_buffer_size", "proxy_buffering",
	"proxy_buffers", "proxy_busy_buffers_size", "proxy_cache", "proxy_cache_bypass",
	"proxy_cache_key", "proxy_cache_path", "proxy_cache_valid", "proxy_connect_timeout",
	"proxy_cookie_path", "proxy_hide_header", "proxy_http_version", "proxy_ignore_headers",
	"proxy_intercept_errors", "proxy_max_temp_file_size", "proxy_next_upstream", "proxy_pass",
	"proxy_pass_header", "proxy_pass_request_body", "proxy_pass_request_headers",
	"proxy_read_timeout", "proxy_redirect", "proxy_request_buffering", "proxy_send_timeout",
	"proxy_set_body", "proxy_set_header", "proxy_ssl_server_name", "proxy_ssl_verify",
	"proxy_temp_path", "real_ip_header", "recursive_error_pages", "resolver", "resolver_timeout",
	"return", "rewrite", "rewrite_log", "root", "satisfy", "scgi_param", "scgi_pass",
	"send_timeout", "sendfile", "server_name", "server_names_hash_bucket_size",
	"server_tokens", "set", "set_real_ip_from", "ssl", "ssl_certificate", "ssl_certificate_key",
	"ssl_ciphers", "ssl_client_certificate", "ssl_dhparam", "ssl_ecdh_curve",
	"ssl_prefer_server_ciphers", "ssl_protocols", "ssl_session_cache", "ssl_session_tickets",
	"ssl_session_timeout", "ssl_stapling", "ssl_stapling_verify", "ssl_trusted_certificate",
	"ssl_verify_client", "stub_status", "sub_filter", "sub_filter_once", "tcp_nodelay",
	"tcp_nopush", "try_files", "types_hash_max_size", "underscores_in_headers", "user",
	"uwsgi_param", "uwsgi_pass", "valid_referers", "worker_connections", "worker_processes",
	"worker_rlimit_nofile", "zone",
)

// apacheSections are Apache configuration sections (`<Name args>`), lower case.
var apacheSections = set(
	"authnprovideralias", "authzprovideralias", "directory", "directorymatch", "else",
	"elseif", "files", "filesmatch", "if", "ifdefine", "ifdirective", "iffile", "ifmodule",
	"ifsection", "ifversion", "limit", "limitexcept", "location", "locationmatch", "macro",
	"mdomain", "mdomainset", "proxy", "proxymatch", "requireall", "requireany", "requirenone",
	"virtualhost",
)

// apacheDirectives are Apache httpd 2.4 directives (and mod_php's), lower
// case because Apache compares them case-insensitively.
var apacheDirectives = set(
	"accessfilename", "action", "addcharset", "adddefaultcharset", "adddescription",
	"addencoding", "addhandler", "addicon", "addiconbyencoding", "addiconbytype",
	"addlanguage", "addoutputfilter", "addoutputfilterbytype", "addtype", "alias", "aliasmatch",
	"allow", "allowencodedslashes", "allowmethods", "allowoverride", "allowoverridelist",
	"authbasicprovider", "authdigestprovider", "authgroupfile", "authldapurl", "authname",
	"authtype", "authuserfile", "browsermatch", "browsermatchnocase", "cachedisable",
	"cacheenable", "cacheroot", "checkspelling", "customlog", "davlockdb", "dav",
	"defaultlanguage", "defaulttype", "define", "deflatecompressionlevel", "deny",
	"directoryindex", "directoryslash", "documentroot", "enablemmap", "enablesendfile",
	"error", "errordocument", "errorlog", "errorlogformat", "expiresactive", "expiresbytype",
	"expiresdefault", "fallbackresource", "fileetag", "filterchain", "filterdeclare",
	"filterprovider", "forcetype", "group", "header", "headername", "hostnamelookups",
	"include", "includeoptional", "indexignore", "indexoptions", "indexorderdefault",
	"keepalive", "keepalivetimeout", "languagepriority", "limitrequestbody", "listen",
	"loadmodule", "logformat", "loglevel", "maxconnectionsperchild", "maxkeepaliverequests",
	"maxrequestworkers", "maxsparethreads", "maxspareservers", "minsparethreads",
	"minspareservers", "mutex", "namevirtualhost", "options", "order", "passenv", "php_admin_flag",
	"php_admin_value", "php_flag", "php_value", "pidfile", "protocols", "proxypass",
	"proxypassmatch", "proxypassreverse", "proxypreservehost", "proxyrequests", "readmename",
	"redirect", "redirectmatch", "redirectpermanent", "redirecttemp", "removehandler",
	"removetype", "require", "requestheader", "rewritebase", "rewritecond", "rewriteengine",
	"rewritemap", "rewriteoptions", "rewriterule", "satisfy", "scriptalias", "scriptaliasmatch",
	"serveradmin", "serveralias", "servername", "serverroot", "serversignature", "servertokens",
	"setenv", "setenvif", "setenvifnocase", "sethandler", "setinputfilter", "setoutputfilter",
	"sslcacertificatefile", "sslcertificatechainfile", "sslcertificatefile",
	"sslcertificatekeyfile", "sslciphersuite", "sslcompression", "sslengine", "sslhonorcipherorder",
	"sslopensslconfcmd", "ssloptions", "sslprotocol", "sslsessioncache", "sslsessiontickets",
	"sslstaplingcache", "sslusestapling", "sslverifyclient", "startservers", "threadsperchild",
	"timeout", "traceenable", "typesconfig", "undefmacro", "unsetenv", "use", "usecanonicalname", "user", "userdir",
)

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}
