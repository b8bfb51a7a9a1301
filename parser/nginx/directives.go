package nginx

import "strings"

// spec is what nginx's command table says about a directive: whether it
// opens a block and how many arguments it takes (NGX_CONF_TAKE*, FLAG,
// 1MORE, 2MORE, ANY). Only directives whose arity is known are listed;
// anything else (third-party modules) is never an error.
type spec struct {
	block bool
	takes uint16 // bit n set: n arguments allowed (n = 0..7)
	more  int    // 1: one or more, 2: two or more; overrides takes
	any   bool
}

// accepts reports whether n arguments are allowed, like the argument
// check in ngx_conf_handler.
func (s spec) accepts(n int) bool {
	switch {
	case s.any:
		return true
	case s.more > 0:
		return n >= s.more
	case n > 7:
		return false
	}
	return s.takes&(1<<n) != 0
}

// The tables are written as "name flags" lines. Flags: B block; digits the
// allowed argument counts (0 = NOARGS, 12 = TAKE12, ...); F FLAG (one
// argument); + 1MORE; ++ 2MORE; * ANY.
//
// httpTable covers the core, events and http modules of nginx 1.22 as
// built by Debian (the contexts main, events, http, server, location, if).
const httpTable = `
daemon F
master_process F
timer_resolution 1
pid 1
lock_file 1
worker_processes 1
debug_points 1
user 12
worker_priority 1
worker_cpu_affinity +
worker_rlimit_nofile 1
worker_rlimit_core 1
worker_shutdown_timeout 1
working_directory 1
env 1
load_module 1
pcre_jit F
thread_pool 23
ssl_engine 1
error_log +
include 1
events B0
http B0
stream B0
mail B0
worker_connections 1
use 1
multi_accept F
accept_mutex F
accept_mutex_delay 1
debug_connection 1
worker_aio_requests 1
variables_hash_max_size 1
variables_hash_bucket_size 1
server_names_hash_max_size 1
server_names_hash_bucket_size 1
server B0
connection_pool_size 1
request_pool_size 1
client_header_timeout 1
client_header_buffer_size 1
large_client_header_buffers 2
ignore_invalid_headers F
merge_slashes F
underscores_in_headers F
location B12
listen +
server_name +
types_hash_max_size 1
types_hash_bucket_size 1
types B0
default_type 1
root 1
alias 1
limit_except B+
client_max_body_size 1
client_body_buffer_size 1
client_body_timeout 1
client_body_temp_path 1234
client_body_in_file_only 1
client_body_in_single_buffer F
sendfile F
sendfile_max_chunk 1
subrequest_output_buffer_size 1
aio 1
aio_write F
read_ahead 1
directio 1
directio_alignment 1
tcp_nopush F
tcp_nodelay F
send_timeout 1
send_lowat 1
postpone_output 1
limit_rate 1
limit_rate_after 1
keepalive_time 1
keepalive_timeout 12
keepalive_requests 1
keepalive_disable 12
satisfy 1
auth_delay 1
internal 0
lingering_close 1
lingering_time 1
lingering_timeout 1
reset_timedout_connection F
absolute_redirect F
server_name_in_redirect F
port_in_redirect F
msie_padding F
msie_refresh F
log_not_found F
log_subrequest F
recursive_error_pages F
server_tokens 1
if_modified_since 1
max_ranges 1
chunked_transfer_encoding F
etag F
error_page ++
post_action 1
open_file_cache 12
open_file_cache_valid 1
open_file_cache_min_uses 1
open_file_cache_errors F
open_file_cache_events F
resolver +
resolver_timeout 1
gzip_vary F
gzip_http_version 1
gzip_proxied +
gzip_disable +
disable_symlinks 12
try_files ++
output_buffers 2
access_log +
log_format ++
open_log_file_cache 1234
index +
autoindex F
autoindex_exact_size F
autoindex_format 1
autoindex_localtime F
rewrite 23
return 12
break 0
if B+
set 2
rewrite_log F
uninitialized_variable_warn F
allow 1
deny 1
auth_basic 1
auth_basic_user_file 1
auth_request 1
auth_request_set 2
proxy_pass 1
proxy_redirect 12
proxy_set_header 2
proxy_hide_header 1
proxy_pass_header 1
proxy_http_version 1
proxy_buffering F
proxy_request_buffering F
proxy_buffer_size 1
proxy_buffers 2
proxy_busy_buffers_size 1
proxy_read_timeout 1
proxy_send_timeout 1
proxy_connect_timeout 1
proxy_intercept_errors F
proxy_cache 1
proxy_cache_path ++
proxy_cache_valid +
proxy_cache_key 1
proxy_cache_bypass +
proxy_no_cache +
proxy_cache_use_stale +
proxy_cache_methods +
proxy_cache_lock F
proxy_cache_lock_timeout 1
proxy_cache_min_uses 1
proxy_cache_revalidate F
proxy_cookie_domain 12
proxy_cookie_path 12
proxy_ssl_verify F
proxy_ssl_server_name F
proxy_ssl_name 1
proxy_ssl_protocols +
proxy_ssl_trusted_certificate 1
proxy_ssl_certificate 1
proxy_ssl_certificate_key 1
proxy_ssl_session_reuse F
proxy_ignore_headers +
proxy_next_upstream +
proxy_next_upstream_tries 1
proxy_next_upstream_timeout 1
proxy_max_temp_file_size 1
proxy_temp_file_write_size 1
proxy_temp_path 1234
proxy_headers_hash_max_size 1
proxy_headers_hash_bucket_size 1
proxy_set_body 1
proxy_pass_request_headers F
proxy_pass_request_body F
proxy_method 1
proxy_bind 12
proxy_socket_keepalive F
proxy_store 1
proxy_ignore_client_abort F
fastcgi_pass 1
fastcgi_param 23
fastcgi_index 1
fastcgi_split_path_info 1
fastcgi_intercept_errors F
fastcgi_read_timeout 1
fastcgi_send_timeout 1
fastcgi_connect_timeout 1
fastcgi_buffers 2
fastcgi_buffer_size 1
fastcgi_busy_buffers_size 1
fastcgi_hide_header 1
fastcgi_pass_header 1
fastcgi_cache 1
fastcgi_cache_path ++
fastcgi_cache_key 1
fastcgi_cache_valid +
fastcgi_cache_bypass +
fastcgi_no_cache +
fastcgi_cache_use_stale +
fastcgi_cache_methods +
fastcgi_cache_lock F
fastcgi_ignore_headers +
fastcgi_keep_conn F
fastcgi_buffering F
fastcgi_request_buffering F
fastcgi_temp_file_write_size 1
fastcgi_max_temp_file_size 1
fastcgi_next_upstream +
fastcgi_pass_request_headers F
fastcgi_pass_request_body F
fastcgi_catch_stderr 1
fastcgi_ignore_client_abort F
uwsgi_pass 1
uwsgi_param 23
uwsgi_read_timeout 1
scgi_pass 1
scgi_param 23
grpc_pass 1
grpc_set_header 2
memcached_pass 1
add_header 23
add_trailer 23
expires 12
ssl F
ssl_certificate 1
ssl_certificate_key 1
ssl_password_file 1
ssl_dhparam 1
ssl_ecdh_curve 1
ssl_protocols +
ssl_ciphers 1
ssl_buffer_size 1
ssl_verify_client 1
ssl_verify_depth 1
ssl_client_certificate 1
ssl_trusted_certificate 1
ssl_prefer_server_ciphers F
ssl_session_cache 12
ssl_session_tickets F
ssl_session_ticket_key 1
ssl_session_timeout 1
ssl_crl 1
ssl_stapling F
ssl_stapling_file 1
ssl_stapling_responder 1
ssl_stapling_verify F
ssl_early_data F
ssl_conf_command 2
ssl_reject_handshake F
http2_push_preload F
http2_max_field_size 1
http2_chunk_size 1
gzip F
gzip_comp_level 1
gzip_types +
gzip_min_length 1
gzip_buffers 2
gzip_static 1
charset 1
source_charset 1
override_charset F
charset_types +
charset_map B2
limit_req_zone 3
limit_req 123
limit_req_status 1
limit_req_log_level 1
limit_req_dry_run F
limit_conn_zone 2
limit_conn 2
limit_conn_status 1
limit_conn_log_level 1
map B2
map_hash_max_size 1
map_hash_bucket_size 1
geo B12
split_clients B2
upstream B1
real_ip_header 1
set_real_ip_from 1
real_ip_recursive F
sub_filter 2
sub_filter_once F
sub_filter_types +
sub_filter_last_modified F
secure_link 1
secure_link_md5 1
secure_link_secret 1
stub_status 01
dav_methods +
dav_access 123
create_full_put_path F
min_delete_depth 1
ssi F
ssi_types +
addition_types +
valid_referers +
empty_gif 0
mp4 0
flv 0
mirror 1
mirror_request_body F
slice 1
random_index F
`

// upstreamTable covers the directives of http and stream upstream{} blocks,
// where server is a leaf and keepalive_timeout takes one argument.
const upstreamTable = `
server +
keepalive 1
keepalive_timeout 1
keepalive_requests 1
keepalive_time 1
least_conn 0
ip_hash 0
hash 12
zone 12
random 012
`

// nestedTable lists the block directives of the stream and mail modules
// (whose other directives are not checked: several share a name with an
// http directive but take other argument counts).
const nestedTable = `
server B0
upstream B1
map B2
geo B12
split_clients B2
`

var (
	httpSpecs     = parseTable(httpTable)
	upstreamSpecs = parseTable(upstreamTable)
	nestedSpecs   = parseTable(nestedTable)
)

func parseTable(t string) map[string]spec {
	out := map[string]spec{}
	for line := range strings.SplitSeq(t, "\n") {
		name, flags, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok {
			continue
		}
		var s spec
		if rest, ok := strings.CutPrefix(flags, "B"); ok {
			s.block = true
			flags = rest
		}
		switch flags {
		case "F":
			s.takes = 1 << 1
		case "+":
			s.more = 1
		case "++":
			s.more = 2
		case "*":
			s.any = true
		default:
			for _, c := range flags {
				s.takes |= 1 << (c - '0')
			}
		}
		out[name] = s
	}
	return out
}

// Contexts the scanner tracks to pick the right table. ctxUnknown is the
// top level of a file read on its own: it may be included anywhere, so
// only what holds in every context is checked.
const (
	ctxUnknown  = ""
	ctxMain     = "main"
	ctxHTTP     = "http"
	ctxUpstream = "upstream"
	ctxNested   = "nested"  // stream{} and mail{} and their servers
	ctxHandler  = "handler" // map, geo, types, ...: entries, not directives
	ctxOpaque   = "opaque"  // third-party blocks: nothing is checked
)

// handlerBlocks are read by a custom handler in nginx (cf->handler): their
// lines are data, and a `{` inside them is `unexpected "{"`.
var handlerBlocks = map[string]bool{
	"types": true, "map": true, "geo": true, "split_clients": true, "charset_map": true,
}

// isLuaBlock reports whether name is an OpenResty *_by_lua_block directive,
// whose body is Lua code, not nginx directives.
func isLuaBlock(name string) bool { return strings.HasSuffix(name, "_by_lua_block") }

// lookup returns the spec of name in context ctx, if it is known there.
func lookup(name, ctx string) (spec, bool) {
	switch ctx {
	case ctxHandler, ctxOpaque:
		return spec{}, false
	case ctxUpstream:
		s, ok := upstreamSpecs[name]
		return s, ok
	case ctxNested:
		s, ok := nestedSpecs[name]
		return s, ok
	case ctxUnknown:
		if _, ok := upstreamSpecs[name]; ok && name == "server" {
			return spec{}, false // a server{} block or an upstream server line
		}
	}
	s, ok := httpSpecs[name]
	return s, ok
}

// childContext is the context inside block name opened in ctx.
func childContext(name, ctx string) string {
	switch {
	case ctx == ctxOpaque:
		return ctxOpaque
	case handlerBlocks[name]:
		return ctxHandler
	case name == "http":
		return ctxHTTP
	case name == "events":
		return ctxMain
	case name == "stream" || name == "mail":
		return ctxNested
	case name == "upstream": // stream upstreams share the table
		return ctxUpstream
	case name == "server" && ctx == ctxNested:
		return ctxNested
	}
	if _, known := httpSpecs[name]; known && ctx != ctxNested {
		return ctxHTTP // server, location, if, limit_except
	}
	return ctxOpaque
}
