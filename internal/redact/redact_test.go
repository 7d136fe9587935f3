package redact

import (
	"strings"
	"testing"
)

func TestString(t *testing.T) {
	cases := []struct{ name, in, want string }{
		// URL userinfo
		{"url password", "migrate -database postgres://app:PASSWORD@db/app down", "migrate -database postgres://app:REDACTED@db/app down"},
		{"url in quotes", `psql "postgresql://u:s3cr3t@h/d" -c "DROP TABLE x"`, `psql "postgresql://u:REDACTED@h/d" -c "DROP TABLE x"`},
		{"url in Go quotes", `"psql \"postgresql://u:s3cr3t@h/d\""`, `"psql \"postgresql://u:REDACTED@h/d\""`},
		{"url empty user", "redis-cli -u redis://:hunter2@cache:6379/0 FLUSHALL", "redis-cli -u redis://:REDACTED@cache:6379/0 FLUSHALL"},
		{"url password with @ and /", "mysql://root:p@ss/w0rd@db:3306/app", "mysql://root:REDACTED@db:3306/app"},
		{"url jdbc", "jdbc:postgresql://u:pw@h:5432/d", "jdbc:postgresql://u:REDACTED@h:5432/d"},
		{"url two", "a://u:x@h b://v:y@i", "a://u:REDACTED@h b://v:REDACTED@i"},
		{"url user only", "git clone https://deploy@git.example.com/repo.git", "git clone https://deploy@git.example.com/repo.git"},
		{"url port and mail in query", "http://api:8080/notify?to=ops@example.com", "http://api:8080/notify?to=ops@example.com"},

		// flags
		{"flag =", "flyway -url=jdbc:x -user=app -password=hunter2 clean", "flyway -url=jdbc:x -user=app -password=REDACTED clean"},
		{"flag space", "mongo --password hunter2 --eval x", "mongo --password REDACTED --eval x"},
		{"flag quoted", `cli --db-password="a b c" run`, `cli --db-password="REDACTED" run`},
		{"flag single quoted", `cli --token 'a b' run`, `cli --token 'REDACTED' run`},
		{"flag api key", "cli --api-key=k1 --apikey k2 --api_key k3", "cli --api-key=REDACTED --apikey REDACTED --api_key REDACTED"},
		{"flag access and private key", "aws --access-key AKIA1 --private-key-data pk", "aws --access-key REDACTED --private-key-data REDACTED"},
		{"flag secret credential passwd pwd", "x --client-secret s --credentials c --passwd p --pwd q", "x --client-secret REDACTED --credentials REDACTED --passwd REDACTED --pwd REDACTED"},
		{"flag followed by flag", "psql --no-password -c 'DROP TABLE x'", "psql --no-password -c 'DROP TABLE x'"},
		{"flag at start", "--token=abc", "--token=REDACTED"},
		{"short flag kept", "mysql -u root -p hunter2 -h db", "mysql -u root -p hunter2 -h db"},
		{"ordinary flag kept", "migrate -path /migrations -verbose up", "migrate -path /migrations -verbose up"},

		// assignments
		{"env", "PGPASSWORD=hunter2 psql -h db", "PGPASSWORD=REDACTED psql -h db"},
		{"env lower", "export db_password=hunter2; run", "export db_password=REDACTED run"},
		{"env quoted", `GITHUB_TOKEN="ghp abc" gh api`, `GITHUB_TOKEN="REDACTED" gh api`},
		{"env names", "AWS_SECRET_ACCESS_KEY=a STRIPE_API_KEY=b MY_APIKEY=c AWS_ACCESS_KEY_ID=d PRIVATE_KEY=e GCP_CREDENTIALS=f X_PASSWD=g",
			"AWS_SECRET_ACCESS_KEY=REDACTED STRIPE_API_KEY=REDACTED MY_APIKEY=REDACTED AWS_ACCESS_KEY_ID=REDACTED PRIVATE_KEY=REDACTED GCP_CREDENTIALS=REDACTED X_PASSWD=REDACTED"},
		{"dsn keywords", "host=db user=app password=hunter2 dbname=app", "host=db user=app password=REDACTED dbname=app"},
		{"query string", "jdbc:postgresql://db/app?user=app&password=hunter2", "jdbc:postgresql://db/app?user=app&password=REDACTED"},
		{"pwd is a directory", "PWD=/app HOME=/root run", "PWD=/app HOME=/root run"},

		// Authorization
		{"bearer", `curl -H "Authorization: Bearer eyJhbGciOi.x.y" http://api`, `curl -H "Authorization: Bearer REDACTED" http://api`},
		{"basic", "curl -H 'authorization: Basic dXNlcjpwYXNz' http://api", "curl -H 'authorization: Basic REDACTED' http://api"},
		{"no scheme", "Authorization:abc123", "Authorization:REDACTED"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := String(c.in)
			if got != c.want {
				t.Errorf("String(%q)\n got %q\nwant %q", c.in, got, c.want)
			}
			if again := String(got); again != got {
				t.Errorf("not idempotent: %q -> %q", got, again)
			}
		})
	}
}

// Ordinary text, including every finding message the rules write without a
// secret, comes back unchanged.
func TestStringKeepsOrdinaryText(t *testing.T) {
	for _, s := range []string{
		"",
		"DROP TABLE orders",
		"Job shop/migrate",
		`Job shop/migrate: container "m" drops a database, schema or table ("DROP TABLE") in a PreSync hook, which runs on every sync`,
		"https://example.com/path?q=1#frag",
		"https://example.com:8443/path",
		"see https://argo-cd.readthedocs.io/en/stable/user-guide/resource_hooks/",
		"image example/app:1.0.0@sha256:0123abcd",
		"token bucket of 5, password policy, secret rotation",
		`hook-delete-policy "BeforeHookCreation" (Argo CD's default, made explicit)`,
		"a basic check; authorization is granted by RBAC",
		"kubectl create secret generic db --from-literal=user=app",
		"a=b c==d --verbose=true -n demo",
	} {
		if got := String(s); got != s {
			t.Errorf("String(%q) = %q, want it unchanged", s, got)
		}
	}
}

// secretContexts put a secret where String must find it.
var secretContexts = []func(secret string) string{
	func(s string) string { return "postgres://app:" + s + "@db:5432/app" },
	func(s string) string { return "redis://:" + s + "@cache" },
	func(s string) string { return "--password=" + s },
	func(s string) string { return "--db-password " + s },
	func(s string) string { return "-token=" + s },
	func(s string) string { return "PGPASSWORD=" + s },
	func(s string) string { return "aws_secret_access_key=" + s },
	func(s string) string { return "Authorization: Bearer " + s },
	func(s string) string { return "Authorization: Basic " + s },
	func(s string) string { return `"` + "PGPASSWORD=" + s + `"` },
}

// FuzzString checks that String never panics, is idempotent, and hides a
// secret in every context it knows whatever surrounds it: a secret is
// framed by markers that appear nowhere else, so any part of its ends left
// in the output is a leak.
func FuzzString(f *testing.F) {
	for _, seed := range [][3]string{
		{"migrate -database ", "hunter2", " down"},
		{"sh -c '", "p@ss/w:rd", "; psql'"},
		{`"`, "x", `"`},
		{"--token ", "--password=", "Authorization:"},
		{"", "", ""},
		{"a://b:c@", "d@e", "f://g:h@i"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, before, secret, after string) {
		out := String(before + secret + after)
		if again := String(out); again != out {
			t.Fatalf("not idempotent:\n in %q\nout %q\nagain %q", before+secret+after, out, again)
		}

		const open, close = "Zq9", "Xk7"
		if strings.ContainsAny(secret, " \t\n\v\f\r\"'`") || strings.Contains(before+after, open) || strings.Contains(before+after, close) {
			return
		}
		secret = open + secret + close
		for i, context := range secretContexts {
			in := before + " " + context(secret) + " " + after
			out := String(in)
			if strings.Contains(out, open) || strings.Contains(out, close) {
				t.Fatalf("context %d leaks the secret:\n in %q\nout %q", i, in, out)
			}
		}
	})
}

// Redaction reads each character a bounded number of times: inputs built to
// make a naive scanner re-read the rest of the text at every head finish at
// once (a quadratic scanner takes minutes here).
func TestStringLinear(t *testing.T) {
	for _, unit := range []string{"a=", "TOKEN=TOKEN=", "--password ", "-a-a", `PASSWORD="a `, "http://h:80/", "http://a:", "a://b:@", "Authorization: "} {
		s := strings.Repeat(unit, 20000)
		if got := String(s); String(got) != got {
			t.Errorf("%q repeated: not idempotent", unit)
		}
	}
}
