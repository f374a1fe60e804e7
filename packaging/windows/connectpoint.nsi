; The ConnectPoint installer for Windows: 64-bit, per machine, with a start-menu entry and an
; uninstaller registered in Apps / Add or Remove Programs. Built by packaging/build-windows.sh:
;
;   makensis -DVERSION=<git version> -DWINVERSION=<a.b.c.d> -DAPPEXE=<connectpoint.exe>
;            -DCLIEXE=<connectpoint-cli.exe> -DOUTFILE=<setup.exe> [-DSIGN=<command that signs the file named by its argument>]
;            packaging/windows/connectpoint.nsi
;
; Installing over an older version replaces the program files and nothing else. Neither the
; installer nor the uninstaller ever touches the users' data folders (%AppData%\ConnectPoint).
; Silent: `setup.exe /S` installs (`/D=C:\path` as the last argument picks the folder);
; `"C:\Program Files\ConnectPoint\uninstall.exe" /S` removes.

Unicode true
Target amd64-unicode
SetCompressor /SOLID lzma
SetCompressorDictSize 64 ; MB: the two programs differ only in their link, and compress as one
ManifestDPIAware true

!include "MUI2.nsh"
!include "x64.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"

!ifndef VERSION | WINVERSION | APPEXE | CLIEXE | OUTFILE
  !error "define VERSION, WINVERSION, APPEXE, CLIEXE and OUTFILE (see the top of this file)"
!endif

!define APPNAME   "ConnectPoint"
!define PUBLISHER "ConnectPoint"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\ConnectPoint"

Name "${APPNAME}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APPNAME}"
InstallDirRegKey HKLM "${UNINSTKEY}" "InstallLocation"
RequestExecutionLevel admin
BrandingText "${APPNAME} ${VERSION}"

VIProductVersion "${WINVERSION}"
VIFileVersion "${WINVERSION}"
VIAddVersionKey /LANG=1033 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileDescription" "${APPNAME} installer"
VIAddVersionKey /LANG=1033 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1033 "LegalCopyright" "${PUBLISHER}"

!ifdef SIGN
  ; Sign the uninstaller as it is written, and the installer once it is complete.
  !uninstfinalize '${SIGN} "%1"' = 0
  !finalize '${SIGN} "%1"' = 0
!endif

!define MUI_ICON   "packaging/icons/connectpoint.ico"
!define MUI_UNICON "packaging/icons/connectpoint.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_NOAUTOCLOSE
!define MUI_FINISHPAGE_TEXT "${APPNAME} ${VERSION} is installed for every user of this computer. Start it from the Start menu.$\r$\n$\r$\nEach user's data stays in their own %AppData%\ConnectPoint folder, which installing, upgrading and uninstalling never touch."

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP|MB_OK "${APPNAME} needs 64-bit Windows."
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Section "ConnectPoint" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; On an upgrade this replaces the program; a running ConnectPoint keeps it locked, and the
  ; installer then asks to close it and retry.
  SetOverwrite on
  File "/oname=connectpoint.exe" "${APPEXE}"
  ; The same program for the command line (connectpoint-cli.exe version, ...): it has a console.
  File "/oname=connectpoint-cli.exe" "${CLIEXE}"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\connectpoint.exe" "" "$INSTDIR\connectpoint.exe" 0

  WriteRegStr   HKLM "${UNINSTKEY}" "DisplayName"          "${APPNAME}"
  WriteRegStr   HKLM "${UNINSTKEY}" "DisplayVersion"       "${VERSION}"
  WriteRegStr   HKLM "${UNINSTKEY}" "Publisher"            "${PUBLISHER}"
  WriteRegStr   HKLM "${UNINSTKEY}" "DisplayIcon"          "$INSTDIR\connectpoint.exe,0"
  WriteRegStr   HKLM "${UNINSTKEY}" "InstallLocation"      "$INSTDIR"
  WriteRegStr   HKLM "${UNINSTKEY}" "UninstallString"      '"$INSTDIR\uninstall.exe"'
  WriteRegStr   HKLM "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINSTKEY}" "EstimatedSize" "$0"
SectionEnd

Section "Uninstall"
  ; Program files, the shortcut and the registry entry only: never %AppData%\ConnectPoint.
  Delete "$SMPROGRAMS\${APPNAME}.lnk"
  Delete "$INSTDIR\connectpoint.exe"
  Delete "$INSTDIR\connectpoint-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTKEY}"
  DetailPrint "Each user's data in %AppData%\ConnectPoint was left in place."
SectionEnd
