# MoroccoTech in front of its app servers: Varnish (Debian's package, 7.x).
# Rendered by portal/tooling/varnish.py (render_vcl): the backends placeholder becomes one per app
# server (make stack: two on loopback ports; compose: the app services).
vcl 4.1;

import directors;
import std;

# An app server leaves the rotation after 2 failed health checks of 3, and
# comes back after 2 good ones; /healthz checks the database and the cache.
probe healthz {
    .url = "/healthz";
    .interval = 2s;
    .timeout = 2s;
    .window = 3;
    .threshold = 2;
    .initial = 2;
}

backend app_a {
    .host = "app-a";
    .port = "8000";
    .probe = healthz;
    .connect_timeout = 1s;
    .first_byte_timeout = 35s;
}
backend app_b {
    .host = "app-b";
    .port = "8000";
    .probe = healthz;
    .connect_timeout = 1s;
    .first_byte_timeout = 35s;
}

# Who may ban and purge: the task worker, on this machine or the private network.
acl purgers {
    "127.0.0.1";
    "::1";
    "172.16.0.0"/12;
    "10.0.0.0"/8;
}

sub vcl_init {
    new apps = directors.round_robin();
    apps.add_backend(app_a);
    apps.add_backend(app_b);
}

sub vcl_recv {
    set req.backend_hint = apps.backend();

    # The portal's cache tags (portal/core/cache/front.py): every object whose
    # X-Cache-Tags matches the expression goes, at once, in every language.
    if (req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        if (!req.http.X-Ban-Tags) {
            return (synth(400, "X-Ban-Tags missing"));
        }
        # Unquoted: std.ban() would keep quotes as part of the pattern, which
        # therefore holds no space (portal/core/cache/front.py writes it so).
        if (std.ban("obj.http.X-Cache-Tags ~ " + req.http.X-Ban-Tags)) {
            return (synth(200, "Banned"));
        }
        return (synth(400, std.ban_error()));
    }
    # Wagtail's frontend_cache (one URL at a time), for a CDN-less setup that uses it.
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        return (purge);
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The admin, previews, forms and whoever is signed in: always the app.
    if (req.url ~ "^/(admin|documents)/" || req.url ~ "^/[a-z]{2,3}/(recherche|newsletter|membres)/") {
        return (pass);
    }
    if (req.http.Authorization || req.http.Cookie ~ "(^|; )(sessionid|csrftoken)=") {
        return (pass);
    }
    # Other cookies (none of ours) do not change an anonymous page.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    if (bereq.url ~ "^/(static|media)/") {
        # Files: hashed or never reused names, kept by their own Cache-Control.
        return (deliver);
    }
    if (!beresp.http.X-Cache-Tags || beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "(private|no-store|no-cache)") {
        # Not an anonymous page that says what it shows: never kept (and asked again next time).
        set beresp.uncacheable = true;
        set beresp.ttl = 10s;
        return (deliver);
    }
    # Kept until a ban drops it (a change to what it shows); a day at most. A page
    # the app cannot answer is served a little longer from what was kept (grace).
    set beresp.ttl = 1d;
    set beresp.grace = 1h;
    return (deliver);
}

sub vcl_backend_error {
    # An app server that does not answer (killed, restarting) before its health
    # checks notice: the next one in the rotation is asked.
    if (bereq.retries < 1) {
        return (retry);
    }
    # Both app servers down and nothing kept: a plain page, not Varnish's guru meditation.
    set beresp.http.Content-Type = "text/html; charset=utf-8";
    set beresp.http.Retry-After = "30";
    synthetic({"<!DOCTYPE html><html lang="fr"><meta charset="utf-8"><title>MoroccoTech</title><p>Le portail revient dans un instant. / The portal is back in a moment.</p></html>"});
    return (deliver);
}

sub vcl_deliver {
    # The tags are for bans, not for visitors; browsers revalidate after the app's own max-age.
    unset resp.http.X-Cache-Tags;
    if (obj.hits > 0) {
        set resp.http.X-Front-Cache = "hit";
    } else {
        set resp.http.X-Front-Cache = "miss";
    }
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}
