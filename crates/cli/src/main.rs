//! `rapport`: the command line. `serve` runs the server; the other commands work on the
//! same database through the same use cases.

mod config;
mod imports;

use std::io::Read;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use rapport_app::users::UserDraft;
use rapport_app::{Actor, App};
use tokio::net::TcpListener;

use crate::config::{Config, GlobalArgs};

#[derive(Parser)]
#[command(name = "rapport", version, about = "Rapport: the customer relationship manager in one binary")]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server.
    Serve {
        /// Address to listen on (port 0 picks a free port).
        #[arg(long, env = "RAPPORT_LISTEN")]
        listen: Option<String>,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Fill the database with realistic demo customers.
    Demo {
        /// How many companies to create (each with about two people).
        #[arg(long, default_value_t = 200)]
        companies: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Bring the database schema up to date and exit.
    Migrate,
    /// Rebuild the search index from every company and person (it is kept up to date on
    /// every change; this is for after a restore or an import by other means).
    Reindex,
    /// Import companies or people from a CSV, XLSX, XLS, ODS or vCard file (the same
    /// work as an import through the API, run here; refused rows go to a report file).
    Import(imports::ImportArgs),
    /// Export companies or people (a list's filters, search text) to standard output.
    Export(imports::ExportArgs),
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user. Without --password-stdin a strong password is generated and printed once.
    Create {
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: Option<String>,
        /// The role's key: admin, manager, sales, support, viewer or a custom one.
        #[arg(long, default_value = "sales")]
        role: String,
        /// The name of the user's team.
        #[arg(long)]
        team: Option<String>,
        /// The highest company security level the user may see (0 to 9).
        #[arg(long)]
        clearance: Option<i32>,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
}

/// SQLite, JSON and the HTTP stack allocate on every request from several threads; the
/// system allocator spent about a fifth of a loaded server's time in malloc and free (perf,
/// 1M-record list at concurrency 32).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<()> {
    let cli = Cli::parse();
    let config = Config::load(&cli.global)?;
    config::init_logging(&config);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(run(cli.command, config))
}

async fn run(command: Command, config: Config) -> Result<()> {
    let database_url = config.database_url()?;
    tracing::info!(database = %config::redact(&database_url), "opening the database");
    let app = App::open(&database_url, &config.db_options(), config.settings())
        .await
        .with_context(|| format!("cannot open the database {}", config::redact(&database_url)))?;
    match command {
        Command::Serve { listen } => {
            serve(app, listen.or(config.listen.clone()).unwrap_or_else(|| "127.0.0.1:8080".into())).await
        }
        Command::User {
            command: UserCommand::Create { login, name, email, role, team, clearance, password_stdin },
        } => {
            let team_id = match team {
                Some(team) => Some(
                    rapport_app::teams::list(&app, &Actor::system())
                        .await?
                        .into_iter()
                        .find(|t| t.name == team)
                        .map(|t| t.id)
                        .with_context(|| format!("there is no team named {team:?}"))?,
                ),
                None => None,
            };
            let password = if password_stdin {
                let mut text = String::new();
                std::io::stdin().read_to_string(&mut text).context("cannot read the password from standard input")?;
                Some(text.trim_end_matches(['\r', '\n']).to_string())
            } else {
                None
            };
            let draft = UserDraft {
                login: Some(login),
                name: Some(name),
                email,
                password,
                role: Some(role),
                team_id,
                clearance,
                ..UserDraft::default()
            };
            match rapport_app::users::create(&app, &Actor::system(), draft).await {
                Ok(created) => {
                    println!(
                        "created user {} ({}) with id {}",
                        created.user.user.login, created.user.user.role, created.user.user.id
                    );
                    if let Some(password) = created.generated_password {
                        println!("password: {password}");
                        println!("(shown once; store it somewhere safe)");
                    }
                    Ok(())
                }
                Err(rapport_app::AppError::Invalid(invalid)) => {
                    for error in &invalid.errors {
                        eprintln!("--{}: {}", error.field.replace('_', "-"), error.message);
                    }
                    bail!("the user was not created")
                }
                Err(other) => Err(other.into()),
            }
        }
        Command::Demo { companies, seed } => {
            let loaded = rapport_app::demo::load(&app, &Actor::system(), seed, companies).await?;
            println!("demo data loaded: {} companies, {} people", loaded.companies, loaded.people);
            Ok(())
        }
        Command::Migrate => {
            println!("the database schema is up to date");
            Ok(())
        }
        Command::Import(args) => imports::import(&app, args).await,
        Command::Export(args) => imports::export(&app, args).await,
        Command::Reindex => {
            let started = std::time::Instant::now();
            let records = rapport_app::search::rebuild(&app, &Actor::system()).await?;
            println!("search index rebuilt: {records} records in {:.1} s", started.elapsed().as_secs_f64());
            Ok(())
        }
    }
}

async fn serve(app: App, listen: String) -> Result<()> {
    let listener = TcpListener::bind(&listen).await.with_context(|| format!("cannot listen on {listen}"))?;
    let address = listener.local_addr()?;
    // On a fresh install a secret link lets the first visitor with it create the
    // administrator; it is valid for this run only and never stored.
    let setup_token = if rapport_app::users::any(&app).await? {
        None
    } else {
        let token = rapport_app::auth::random_secret();
        println!("no users yet: open this link to create the first administrator");
        println!("  http://{address}/setup?token={token}");
        println!("or create one with");
        println!("  rapport user create --login admin --name \"Administrator\" --role admin");
        Some(token)
    };
    // Tests and scripts read this line to find the port.
    println!("Rapport listening on http://{address}");
    tracing::info!(%address, "listening");
    let db = app.db.clone();
    rapport_web::install(&app);
    let workers = rapport_app::jobs::Workers::start(&app, app.settings.job_workers, app.settings.job_poll);
    rapport_web::serve_with_setup(listener, app, setup_token, shutdown_signal()).await?;
    // The jobs running now finish (or, cut off by a hard stop, are taken up again when
    // their lease runs out).
    workers.stop().await;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
