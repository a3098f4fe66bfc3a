//! `stance completions`: the shell completion script for bash, zsh, fish, elvish or PowerShell,
//! generated from the same clap definitions that parse the command line, so it never lags behind.

use std::io::Write;

use anyhow::Result;
use clap::CommandFactory;

const AFTER_HELP: &str = "\
Install (the script completes subcommands, flags and the values of format flags):
  bash:  stance completions bash > ~/.local/share/bash-completion/completions/stance
  zsh:   stance completions zsh > ~/.zfunc/_stance   (with fpath+=~/.zfunc before compinit)
  fish:  stance completions fish > ~/.config/fish/completions/stance.fish

Examples:
  stance completions bash
  source <(stance completions bash)";

/// Print a shell completion script.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_name = "SHELL")]
    shell: clap_complete::Shell,
}

/// Runs `stance completions`.
pub fn run(args: Args) -> Result<u8> {
    let mut command = super::Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "stance", &mut script);
    let mut out = std::io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(super::EXIT_OK)
}
