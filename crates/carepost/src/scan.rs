//! `carepost scan` (being written: replaced by the DLP work).

#[derive(clap::Args)]
pub struct ScanArgs {
    /// Input file, or - for standard input.
    pub input: String,
}

pub fn scan(_args: ScanArgs) -> anyhow::Result<()> {
    anyhow::bail!("scan is not available in this build")
}
