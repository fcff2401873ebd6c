; Inno Setup 6 script: the Windows installer of deesc-desktop.
;
; Build the bundle first, from the repository root on a Windows PC (see docs/install.md):
;     pyinstaller --noconfirm packaging\deesc-desktop.spec
; then compile this script:
;     "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" packaging\windows\deesc-desktop.iss
; The installer is written to dist\deesc-desktop-VERSION-setup.exe.
;
; What it does:
;   - installs dist\deesc-desktop\ (the app, the `deesc` command and _internal\) to
;     C:\Program Files\deesc-desktop (administrator rights, 64-bit install mode);
;   - creates the shared data folder C:\ProgramData\deesc\deesc-desktop, which is where the app
;     keeps deesc.db and backups\ (platformdirs.site_data_dir("deesc-desktop", "deesc")), and
;     gives the local Users group Modify rights on it, so every sergeant who signs in to this PC
;     works on the same database;
;   - adds a Start menu shortcut and, if ticked, a desktop shortcut;
;   - registers an uninstaller that removes the program but keeps the data folder unless the
;     user answers Yes to the question it asks (a silent uninstall always keeps it).
;
; The version is not written here: it is read from deesc-desktop.exe's version resource, which
; packaging\deesc-desktop.spec fills from pyproject.toml. To override (e.g. for a test build):
;     ISCC /DAppVersion=0.1.0 packaging\windows\deesc-desktop.iss

#define AppName "deesc-desktop"
#define AppPublisher "deesc-desktop developers"
#define AppExe "deesc-desktop.exe"
; The second part of the data folder, platformdirs' "appauthor" (deesc_desktop/paths.py).
#define DataAuthor "deesc"
#define BundleExe AddBackslash(SourcePath) + "..\..\dist\deesc-desktop\" + AppExe

#if !FileExists(BundleExe)
  #error dist\deesc-desktop\deesc-desktop.exe is missing: run "pyinstaller --noconfirm packaging\deesc-desktop.spec" from the repository root first.
#endif
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(BundleExe, "ProductVersion")
#endif
#if AppVersion == ""
  #error deesc-desktop.exe has no ProductVersion: rebuild it with packaging\deesc-desktop.spec on Windows.
#endif

[Setup]
; AppId identifies the application for upgrades and the uninstaller: never change it.
AppId={{096F5234-380C-4055-A360-A86178C2149D}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
AppComments=Training records, compliance, CIT and de-escalation bonus claims for a police department.
VersionInfoVersion={#GetVersionNumbersString(BundleExe)}
VersionInfoProductTextVersion={#AppVersion}
; Paths below are relative to the repository root.
SourceDir=..\..
OutputDir=dist
OutputBaseFilename={#AppName}-{#AppVersion}-setup
SetupIconFile=resources\icons\app.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
; C:\Program Files\deesc-desktop: administrator rights, and the 64-bit Program Files because
; the bundled Python and Qt are 64-bit (x64compatible also covers Windows 11 on Arm).
DefaultDirName={autopf}\{#AppName}
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 needs Windows 10 1809 or later.
MinVersion=10.0.17763
; One Start menu shortcut, no Start menu folder page.
DisableProgramGroupPage=yes
; An upgrade asks to close a running deesc-desktop (Restart Manager) before replacing its files.
CloseApplications=yes
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
SetupLogging=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Dirs]
; The shared data folder: Modify for every local user, and never removed by the uninstaller
; itself (the [Code] below asks first). The permissions are set even when the folder is
; already there, so reinstalling repairs them.
Name: "{commonappdata}\{#DataAuthor}\{#AppName}"; Permissions: users-modify; Flags: uninsneveruninstall
Name: "{commonappdata}\{#DataAuthor}\{#AppName}\backups"; Permissions: users-modify; Flags: uninsneveruninstall

[InstallDelete]
; An upgrade replaces the bundle as a whole: nothing an older version shipped may linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "dist\deesc-desktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "Training records, compliance and reports"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "Training records, compliance and reports"; Tasks: desktopicon

[Run]
; Runs as the user who started Setup, not as the administrator (postinstall's default).
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only the program folder. The data folder is handled by CurUninstallStepChanged below.
Type: filesandordirs; Name: "{app}\_internal"
Type: dirifempty; Name: "{app}"

[Code]
{ The shared data folder: C:\ProgramData\deesc\deesc-desktop. }
function DataDir: String;
begin
  Result := ExpandConstant('{commonappdata}\{#DataAuthor}\{#AppName}');
end;

{ After the program is removed, ask whether to delete the data as well. The default answer,
  and the only outcome of a silent uninstall, is to keep it: the database holds the agency's
  training records, and a later install (or a newer version) opens it again. }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  if not DirExists(DataDir) then
    Exit;
  if UninstallSilent then
    Exit;
  if MsgBox('{#AppName} has been removed from this PC.' + #13#10 + #13#10 +
      'Its data folder is still there:' + #13#10 + DataDir + #13#10 +
      'It holds the training records database (deesc.db) and its backups, shared by ' +
      'everyone who uses this PC.' + #13#10 + #13#10 +
      'Do you also want to DELETE the data folder and everything in it? This cannot be ' +
      'undone. Choose No to keep it (a later install finds it again).',
      mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
  begin
    if not DelTree(DataDir, True, True, True) then
      MsgBox('Some files in ' + DataDir + ' could not be deleted (is {#AppName} still open ' +
        'for another user of this PC?). Delete the folder by hand.', mbError, MB_OK);
    { The parent C:\ProgramData\deesc goes too, when nothing else is in it. }
    RemoveDir(ExpandConstant('{commonappdata}\{#DataAuthor}'));
  end;
end;
