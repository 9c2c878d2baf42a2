; Inno Setup 6 script: a per-user installer for the one-folder Windows bundle.
;
;   pyinstaller --noconfirm --clean packaging\pyinstaller\companion.spec
;   iscc /DAppVersion=0.1.0 packaging\windows\companion.iss
;
; (packaging\README.md has the whole sequence, with signing.) It installs for the current user
; only, without administrator rights, into %LOCALAPPDATA%\Programs\Companion: a private diary
; should not need an administrator, and a shared or work computer often has none to ask.
; Uninstalling removes the program and nothing else: the diary in %LOCALAPPDATA%\Companion is
; never touched, and the last page says where it is.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z companion.iss
#endif
; One app id everywhere (companion/appinfo.py): here the AppUserModelID of the shortcut, which
; must match the one the running program sets, for taskbar grouping, pinning and notifications.
#define AppId "io.github.companiondiary.Companion"
#define AppName "Companion"
#define Bundle "..\..\build\pyinstaller\dist\companion"
#define Icons "..\..\build\icons"

[Setup]
AppId={#AppId}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The Companion developers
AppPublisherURL=https://github.com/companiondiary/companion
AppSupportURL=https://github.com/companiondiary/companion/issues
AppCopyright=Copyright (C) 2026 The Companion developers
VersionInfoVersion={#AppVersion}
; Per user, no elevation; {autopf} is then %LOCALAPPDATA%\Programs.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
LicenseFile=..\..\LICENSE
SetupIconFile={#Icons}\{#AppId}.ico
UninstallDisplayIcon={app}\companion-gui.exe
UninstallDisplayName={#AppName}
OutputDir=..\..\dist
OutputBaseFilename=companion-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; The running program holds the diary; ask it to close before files are replaced.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
; Start at login, minimised, so reminders can appear (the in-app option exists on Linux only;
; here the shortcut in the per-user Startup folder is the whole mechanism, removed on uninstall).
Name: "startatlogin"; Description: "Start Companion when I log in (minimised)"; GroupDescription: "When I log in:"; Flags: unchecked

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "..\..\LICENSE"; DestDir: "{app}"; Flags: ignoreversion
Source: "..\THIRD-PARTY-NOTICES.md"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\companion-gui.exe"; AppUserModelID: "{#AppId}"; Comment: "Your private mood and medication diary"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\companion-gui.exe"; AppUserModelID: "{#AppId}"; Tasks: desktopicon
Name: "{userstartup}\{#AppName}"; Filename: "{app}\companion-gui.exe"; Parameters: "--minimised"; AppUserModelID: "{#AppId}"; Tasks: startatlogin

[Run]
Filename: "{app}\companion-gui.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox('Companion was removed. Your diary was kept: it is in ' +
      ExpandConstant('{localappdata}\Companion') +
      '. Delete that folder yourself only if you are sure you no longer need it.',
      mbInformation, MB_OK);
end;
