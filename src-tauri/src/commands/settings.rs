//! Commands behind the PINs: unlocking the idle lock, reading and saving settings (secrets go
//! to the keychain and are never read back), changing PINs, listing and creating branches.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};
use vikno_core::secrets::names;
use vikno_core::{AppConfig, Environment, PARTNER_KEY_LABEL, PinHash, Purpose};

use crate::commands::app::{AppInfo, info};
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

#[tauri::command]
pub(crate) fn unlock_screen(state: State<'_, AppState>, pin: String) -> IpcResult<()> {
    let config = state.config()?;
    // The clerk's PIN unlocks; so does the supervisor's. With no PIN configured at all (a fresh
    // sandbox) the lock is a privacy screen only.
    match (&config.clerk_pin, &config.supervisor_pin) {
        (None, None) => Ok(()),
        (Some(clerk), _) if state.check_pin(&pin, Some(clerk)).is_ok() => Ok(()),
        (_, supervisor) => state.check_pin(&pin, supervisor.as_ref()),
    }
}

/// Settings as the form shows them.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SettingsView {
    environment: Environment,
    base_url: String,
    branch_id: Option<String>,
    receiver_listen: String,
    receiver_public_url: String,
    key_container_path: Option<String>,
    diia_certificate_paths: Vec<String>,
    trusted_certificate_paths: Vec<String>,
    has_acquirer_token: bool,
    has_key_password: bool,
    purposes: Vec<Purpose>,
    idle_lock_seconds: u32,
    scanner_serial_port: Option<String>,
    camera_index: Option<u32>,
}

/// What the form saves.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SettingsInput {
    environment: Environment,
    base_url: String,
    branch_id: Option<String>,
    receiver_listen: String,
    receiver_public_url: String,
    key_container_path: Option<String>,
    diia_certificate_paths: Vec<String>,
    trusted_certificate_paths: Vec<String>,
    acquirer_token: Option<String>,
    key_password: Option<String>,
    purposes: Vec<Purpose>,
    idle_lock_seconds: u32,
    scanner_serial_port: Option<String>,
    camera_index: Option<u32>,
}

fn paths(v: &[PathBuf]) -> Vec<String> {
    v.iter().map(|p| p.display().to_string()).collect()
}

async fn view(state: &AppState) -> IpcResult<SettingsView> {
    let c = state.config()?;
    let secrets = state.secrets.clone();
    let (token, password) = tokio::task::spawn_blocking(move || {
        Ok::<_, vikno_core::SecretError>((
            secrets.get(names::ACQUIRER_TOKEN)?.is_some(),
            secrets.get(&names::key_container_password(PARTNER_KEY_LABEL))?.is_some(),
        ))
    })
    .await
    .map_err(|_| IpcError::new("internal", "keychain task failed"))??;
    Ok(SettingsView {
        environment: c.environment,
        base_url: c.base_url,
        branch_id: c.branch_id,
        receiver_listen: c.receiver_listen,
        receiver_public_url: c.receiver_public_url,
        key_container_path: c.key_container_path.map(|p| p.display().to_string()),
        diia_certificate_paths: paths(&c.diia_certificate_paths),
        trusted_certificate_paths: paths(&c.trusted_certificate_paths),
        has_acquirer_token: token,
        has_key_password: password,
        purposes: c.purposes,
        idle_lock_seconds: c.idle_lock_seconds,
        scanner_serial_port: c.scanner_serial_port,
        camera_index: c.camera_index,
    })
}

/// Opens settings. On a workstation with no supervisor PIN yet, the first PIN entered becomes
/// it (first-run enrolment, written before the form opens).
#[tauri::command]
pub(crate) async fn settings_open(
    state: State<'_, AppState>,
    pin: String,
) -> IpcResult<SettingsView> {
    let enrol = state.config()?.supervisor_pin.is_none();
    if enrol {
        let hash = PinHash::new(&pin)?;
        save_config(&state, |c| c.supervisor_pin = Some(hash))?;
        tracing::info!("supervisor PIN enrolled");
    } else {
        state.check_supervisor(&pin)?;
    }
    view(&state).await
}

/// Applies `change` to a copy of the configuration, validates and writes it, then adopts it.
fn save_config(state: &AppState, change: impl FnOnce(&mut AppConfig)) -> IpcResult<AppConfig> {
    let mut guard = state
        .config
        .lock()
        .map_err(|_| IpcError::new("internal", "configuration lock poisoned"))?;
    let mut next = guard.clone();
    change(&mut next);
    next.save(&state.data_dir)?;
    *guard = next.clone();
    Ok(next)
}

#[tauri::command]
pub(crate) async fn settings_save(
    app: AppHandle,
    state: State<'_, AppState>,
    pin: String,
    input: SettingsInput,
) -> IpcResult<AppInfo> {
    state.check_supervisor(&pin)?;
    let blank = |s: Option<String>| s.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let mut candidate = state.config()?;
    candidate.environment = input.environment;
    candidate.base_url = input.base_url.trim().to_owned();
    candidate.branch_id = blank(input.branch_id);
    candidate.receiver_listen = input.receiver_listen.trim().to_owned();
    candidate.receiver_public_url = input.receiver_public_url.trim().to_owned();
    candidate.key_container_path = blank(input.key_container_path).map(PathBuf::from);
    candidate.diia_certificate_paths = input
        .diia_certificate_paths
        .into_iter()
        .filter_map(|p| blank(Some(p)))
        .map(PathBuf::from)
        .collect();
    candidate.trusted_certificate_paths = input
        .trusted_certificate_paths
        .into_iter()
        .filter_map(|p| blank(Some(p)))
        .map(PathBuf::from)
        .collect();
    candidate.purposes = input.purposes;
    candidate.idle_lock_seconds = input.idle_lock_seconds;
    candidate.scanner_serial_port = blank(input.scanner_serial_port);
    candidate.camera_index = input.camera_index;
    // Check everything before touching the keychain or the file: a refused form changes nothing.
    candidate.validate()?;
    let secrets = state.secrets.clone();
    let (token, password) =
        (blank(input.acquirer_token), input.key_password.filter(|p| !p.is_empty()));
    tokio::task::spawn_blocking(move || {
        if let Some(t) = token {
            secrets.set(names::ACQUIRER_TOKEN, &t)?;
        }
        if let Some(p) = password {
            secrets.set(&names::key_container_password(PARTNER_KEY_LABEL), &p)?;
        }
        Ok::<_, vikno_core::SecretError>(())
    })
    .await
    .map_err(|_| IpcError::new("internal", "keychain task failed"))??;
    let config = save_config(&state, |c| *c = candidate)?;
    tracing::info!(environment = config.environment.code(), "settings saved");
    crate::runtime::restart(&app, &config).await;
    info(&state).await
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum PinKind {
    Supervisor,
    Clerk,
}

#[tauri::command]
pub(crate) fn settings_set_pin(
    state: State<'_, AppState>,
    pin: String,
    kind: PinKind,
    new_pin: String,
) -> IpcResult<()> {
    state.check_supervisor(&pin)?;
    let hash = PinHash::new(&new_pin)?;
    save_config(&state, |c| match kind {
        PinKind::Supervisor => c.supervisor_pin = Some(hash),
        PinKind::Clerk => c.clerk_pin = Some(hash),
    })?;
    tracing::info!("a PIN was changed");
    Ok(())
}

#[derive(Debug, Serialize)]
pub(crate) struct BranchItem {
    id: String,
    name: String,
}

#[tauri::command]
pub(crate) async fn branches(
    state: State<'_, AppState>,
    pin: String,
) -> IpcResult<Vec<BranchItem>> {
    state.check_supervisor(&pin)?;
    let desk = state.desk().await?;
    let list = desk
        .client()
        .list_branches(diia::Page { skip: Some(0), limit: Some(100) })
        .await
        .map_err(vikno_core::DeskError::from)?;
    Ok(list.branches.into_iter().map(|b| BranchItem { id: b.id, name: b.details.name }).collect())
}

/// Creates a branch named `name` with the current branch's address, contacts and scopes (the
/// usual case: another counter of the same office); edit it further in Diia's cabinet.
#[tauri::command]
pub(crate) async fn create_branch(
    state: State<'_, AppState>,
    pin: String,
    name: String,
) -> IpcResult<BranchItem> {
    state.check_supervisor(&pin)?;
    let desk = state.desk().await?;
    let client = desk.client();
    let mut details =
        client.get_branch(desk.branch_id()).await.map_err(vikno_core::DeskError::from)?.details;
    details.name = name.trim().to_owned();
    let id = client.create_branch(&details).await.map_err(vikno_core::DeskError::from)?;
    tracing::info!("branch created");
    Ok(BranchItem { id, name: details.name })
}
