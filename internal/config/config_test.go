package config

import (
	"flag"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.DataDir != "./data" || c.Location.String() != "Asia/Almaty" || !c.PageCache || c.PageSize != 10 || c.CacheTTL != time.Minute {
		t.Fatalf("defaults: %+v", c)
	}
}

func TestFlagsWinOverEnvironment(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	c, err := Load(fs, []string{"-addr", "127.0.0.1:9", "-rates-offline", "-page-cache=false"},
		env(map[string]string{"DASTAN_ADDR": ":7", "DASTAN_DATA_DIR": "/srv/dastan"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9" || c.DataDir != "/srv/dastan" || !c.RatesOffline || c.PageCache {
		t.Fatalf("got %+v", c)
	}
}

func TestBadValuesAreNamed(t *testing.T) {
	_, err := FromEnv(env(map[string]string{
		"DASTAN_TIME_ZONE": "Mars/Olympus", "DASTAN_PAGE_SIZE": "0", "DASTAN_DATABASE_URL": "mysql://x",
		"DASTAN_SITE_URL": "example.org", "DASTAN_PAGE_CACHE": "maybe", "DASTAN_CACHE_TTL": "soon",
	}))
	if err == nil {
		t.Fatal("bad settings accepted")
	}
	for _, want := range []string{`DASTAN_TIME_ZONE "Mars/Olympus"`, `DASTAN_PAGE_SIZE "0"`, `DASTAN_DATABASE_URL "mysql://x"`, `DASTAN_SITE_URL "example.org"`, `DASTAN_PAGE_CACHE "maybe"`, `DASTAN_CACHE_TTL "soon"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s: %v", want, err)
		}
	}
}

func TestTrustedProxies(t *testing.T) {
	c, err := FromEnv(env(map[string]string{"DASTAN_TRUSTED_PROXIES": "10.0.0.0/8, 127.0.0.1 ,2001:db8::/32"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.TrustedProxies) != 3 || c.TrustedProxies[1].String() != "127.0.0.1/32" {
		t.Fatalf("trusted proxies: %v", c.TrustedProxies)
	}
	if _, err := FromEnv(env(map[string]string{"DASTAN_TRUSTED_PROXIES": "10.0.0.0/8,cdn.example.org"})); err == nil || !strings.Contains(err.Error(), "DASTAN_TRUSTED_PROXIES") {
		t.Fatalf("a host name accepted as a proxy address: %v", err)
	}
}

func TestMetricsSettings(t *testing.T) {
	c, err := FromEnv(env(map[string]string{"DASTAN_METRICS_ADDR": "127.0.0.1:9464", "DASTAN_METRICS_TOKEN": "0123456789abcdef"}))
	if err != nil || c.MetricsAddr != "127.0.0.1:9464" || c.MetricsToken != "0123456789abcdef" {
		t.Fatalf("metrics settings: %+v %v", c, err)
	}
	for name, e := range map[string]map[string]string{
		"DASTAN_METRICS_ADDR":  {"DASTAN_METRICS_ADDR": "9464"},
		"DASTAN_METRICS_TOKEN": {"DASTAN_METRICS_TOKEN": "short"},
	} {
		if _, err := FromEnv(env(e)); err == nil || !strings.Contains(err.Error(), name+" ") {
			t.Errorf("%v accepted: %v", e, err)
		}
	}
	if _, err := FromEnv(env(map[string]string{"DASTAN_METRICS_ADDR": ":8080"})); err == nil {
		t.Error("metrics on the public address accepted")
	}
}

func TestSessionLifetimes(t *testing.T) {
	c, err := FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.SessionLifetime != 7*24*time.Hour || c.SessionIdle != 12*time.Hour {
		t.Fatalf("session defaults: %s, idle %s", c.SessionLifetime, c.SessionIdle)
	}
	c, err = FromEnv(env(map[string]string{"DASTAN_SESSION_LIFETIME": "30d", "DASTAN_SESSION_IDLE": "90m"}))
	if err != nil || c.SessionLifetime != 30*24*time.Hour || c.SessionIdle != 90*time.Minute {
		t.Fatalf("30d and 90m: %s, %s, %v", c.SessionLifetime, c.SessionIdle, err)
	}
	for _, bad := range []map[string]string{
		{"DASTAN_SESSION_LIFETIME": "a week"},
		{"DASTAN_SESSION_LIFETIME": "-1d"},
		{"DASTAN_SESSION_IDLE": "10s"},
		{"DASTAN_SESSION_LIFETIME": "1h", "DASTAN_SESSION_IDLE": "2h"},
	} {
		if _, err := FromEnv(env(bad)); err == nil || !strings.Contains(err.Error(), "DASTAN_SESSION_") {
			t.Errorf("%v accepted, or the error names no session setting: %v", bad, err)
		}
	}
}

func TestRatesMaxJump(t *testing.T) {
	for in, want := range map[string]float64{"": 0.25, "10%": 0.10, "40": 0.40, " 12.5 % ": 0.125, "0": 0} {
		c, err := FromEnv(env(map[string]string{"DASTAN_RATES_MAX_JUMP": in}))
		if err != nil || c.RatesMaxJump != want {
			t.Errorf("DASTAN_RATES_MAX_JUMP=%q: %v, %v; want %v", in, c.RatesMaxJump, err, want)
		}
	}
	for _, in := range []string{"-5%", "lots", "NaN", "Inf", "2000%"} {
		if _, err := FromEnv(env(map[string]string{"DASTAN_RATES_MAX_JUMP": in})); err == nil || !strings.Contains(err.Error(), "DASTAN_RATES_MAX_JUMP") {
			t.Errorf("DASTAN_RATES_MAX_JUMP=%q: %v, want an error naming it", in, err)
		}
	}
}

// With no site URL set, links follow the address served; one set wins.
func TestSiteURLFollowsTheAddress(t *testing.T) {
	for addr, want := range map[string]string{":8080": "http://localhost:8080", "127.0.0.1:8181": "http://127.0.0.1:8181", "0.0.0.0:80": "http://localhost:80", "[::]:9000": "http://localhost:9000", "[::1]:9000": "http://[::1]:9000"} {
		c, err := FromEnv(env(map[string]string{"DASTAN_ADDR": addr}))
		if err != nil || c.SiteURL != want || !c.SiteURLDerived {
			t.Errorf("DASTAN_ADDR=%s: site URL %q (derived %v), %v; want %s", addr, c.SiteURL, c.SiteURLDerived, err, want)
		}
	}
	c, err := FromEnv(env(map[string]string{"DASTAN_ADDR": "127.0.0.1:8181", "DASTAN_SITE_URL": "https://news.example.org/"}))
	if err != nil || c.SiteURL != "https://news.example.org" || c.SiteURLDerived {
		t.Errorf("an explicit site URL: %q (derived %v), %v", c.SiteURL, c.SiteURLDerived, err)
	}
}

// A bad address is refused at start, naming the variable and its value.
func TestBadAddressIsNamed(t *testing.T) {
	for _, addr := range []string{":99999", "8080", "localhost:http-alt-nope"} {
		_, err := FromEnv(env(map[string]string{"DASTAN_ADDR": addr}))
		if err == nil || !strings.Contains(err.Error(), `DASTAN_ADDR "`+addr+`": `) {
			t.Errorf("DASTAN_ADDR=%s: %v", addr, err)
		}
	}
}

func TestMediaStorage(t *testing.T) {
	c, err := FromEnv(env(map[string]string{"DASTAN_MEDIA_S3_BUCKET": "toca-media", "DASTAN_MEDIA_S3_PREFIX": "/media/",
		"DASTAN_MEDIA_S3_ENDPOINT": "https://fra1.digitaloceanspaces.com/", "DASTAN_MEDIA_S3_REGION": "fra1",
		"DASTAN_MEDIA_S3_ACCESS_KEY": "AK", "DASTAN_MEDIA_S3_SECRET_KEY": "SK", "DASTAN_MEDIA_PUBLIC_URL": "https://cdn.example.org/"}))
	if err != nil {
		t.Fatal(err)
	}
	want := MediaStorage{Bucket: "toca-media", Prefix: "media", Endpoint: "https://fra1.digitaloceanspaces.com", Region: "fra1",
		AccessKey: "AK", SecretKey: "SK", PublicURL: "https://cdn.example.org"}
	if c.Media != want {
		t.Fatalf("media storage: %+v", c.Media)
	}
	for _, bad := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"DASTAN_MEDIA_S3_BUCKET": "No_Such"}, "DASTAN_MEDIA_S3_BUCKET"},
		{map[string]string{"DASTAN_MEDIA_S3_BUCKET": "b12", "DASTAN_MEDIA_S3_ENDPOINT": "s3.example.com"}, "DASTAN_MEDIA_S3_ENDPOINT"},
		{map[string]string{"DASTAN_MEDIA_S3_BUCKET": "b12", "DASTAN_MEDIA_S3_ACCESS_KEY": "AK"}, "DASTAN_MEDIA_S3_ACCESS_KEY"},
		{map[string]string{"DASTAN_MEDIA_S3_BUCKET": "b12", "DASTAN_MEDIA_S3_PREFIX": "Media Files"}, "DASTAN_MEDIA_S3_PREFIX"},
		{map[string]string{"DASTAN_MEDIA_PUBLIC_URL": "cdn.example.org"}, "DASTAN_MEDIA_PUBLIC_URL"},
		{map[string]string{"DASTAN_MEDIA_S3_SECRET_KEY": "very-secret"}, "DASTAN_MEDIA_S3_SECRET_KEY is set"},
	} {
		_, err := FromEnv(env(bad.env))
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%v: %v, want an error naming %s", bad.env, err, bad.want)
		}
		if err != nil && strings.Contains(err.Error(), "very-secret") {
			t.Errorf("the error shows the secret key: %v", err)
		}
	}
}
