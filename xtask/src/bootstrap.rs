//! `cargo xtask bootstrap-manager`: the first manager of a fresh deployment. Creates the
//! provider if there is none and the manager without a password, and prints a one-week
//! invitation link that sets it. `--remote` acts on the Cloudflare D1 database; without it, on
//! the local state of `cargo xtask dev` (or `--state DIR`).

use std::io::Read;
use std::process::Command;

use pointdesk_domain::account::{Email, LinkLife, PersonName};
use sha2::{Digest, Sha256};

use crate::util::{node_bin, offline_env, root, run, Result};

struct Options {
    email: Email,
    name: PersonName,
    provider: String,
    origin: String,
    remote: bool,
    state: String,
}

fn options(args: &[String]) -> Result<Options> {
    let value = |flag: &str| -> Option<String> {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let email = value("--email").ok_or("--email is required")?;
    let name = value("--name").ok_or("--name is required")?;
    Ok(Options {
        email: Email::parse(&email).map_err(|r| format!("--email: {}", r.code()))?,
        name: PersonName::parse(&name).map_err(|r| format!("--name: {}", r.code()))?,
        provider: value("--provider").unwrap_or_else(|| "Support provider".into()),
        origin: value("--origin")
            .unwrap_or_else(|| "http://127.0.0.1:8787".into())
            .trim_end_matches('/')
            .to_owned(),
        remote: args.iter().any(|a| a == "--remote"),
        state: value("--state").unwrap_or_else(|| root().join(".state/dev").display().to_string()),
    })
}

/// A string literal for SQL: the values were parsed (no control characters); quotes doubled.
fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn run_command(args: &[String]) -> Result {
    let o = options(args)?;
    let mut secret = [0u8; 16];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut secret))
        .map_err(|e| format!("reading /dev/urandom: {e}"))?;
    let secret = hex(&secret);
    let hash = hex(&Sha256::digest(secret.as_bytes()));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_secs();
    let expires = now + u64::try_from(LinkLife::INVITATION_SECS).unwrap_or(0);
    let email = literal(o.email.as_str());
    let sql = format!(
        "INSERT INTO providers (name) SELECT {provider} WHERE NOT EXISTS (SELECT 1 FROM providers);
         INSERT INTO users (provider_id, email, name, role, locale)
           VALUES ((SELECT min(id) FROM providers), {email}, {name}, 'manager', 'ru');
         INSERT INTO email_tokens (token_hash, purpose, user_id, created_at, expires_at)
           SELECT '{hash}', 'invitation', id, {now}, {expires} FROM users WHERE email = {email};",
        provider = literal(&o.provider),
        name = literal(o.name.as_str()),
    );
    let mut cmd = Command::new(node_bin("wrangler"));
    offline_env(&mut cmd).args(["d1", "execute", "DB"]);
    if o.remote {
        cmd.arg("--remote");
    } else {
        std::fs::create_dir_all(&o.state).map_err(|e| e.to_string())?;
        crate::server::prepare_database(std::path::Path::new(&o.state), false)?;
        cmd.args(["--local", "--persist-to", &o.state]);
    }
    run(cmd.args(["--command", &sql]).current_dir(root()))?;
    println!(
        "\n  {} is a manager. Open this link within 7 days to set the password:\n\n  {}/accept-invitation#token={secret}\n",
        o.email.as_str(),
        o.origin
    );
    Ok(())
}
