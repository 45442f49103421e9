@echo off
rem Runs the stint CLI on Windows from the portable archive (packaging/dist.sh): app\ beside bin\,
rem on the JDK 17 or later that JAVA_HOME names, else the java on the PATH. Windows has no
rem cached path without a JVM (libexec\stint-cached is POSIX C); a cached answer is still served
rem before the command tree is loaded (dev.stint.cli.CliMain).
setlocal
set "STINT_ROOT=%~dp0.."
set "STINT_JAVA=java"
if defined JAVA_HOME set "STINT_JAVA=%JAVA_HOME%\bin\java"
rem JVM warnings go to stdout by default, where AWS tools expect only credentials.
set "STINT_JVM=-Xlog:disable -Xlog:all=warning:stderr -Xlog:cds*=off:stderr -XX:TieredStopAtLevel=1"
rem The class-data archive is code the JVM maps without verifying it again, so it is kept in the
rem user's own profile, never in an install directory others may write to (a global install).
set "STINT_CDS=%LOCALAPPDATA%\stint\cds"
set "STINT_ARCHIVE=%STINT_CDS%\stint-cli.jsa"
rem `stint setup aws` writes this file's path into the AWS config for credential_process.
set "STINT_COMMAND=%~f0"
if "%~1"=="--record-class-data" goto record
if exist "%STINT_ARCHIVE%" set "STINT_JVM=%STINT_JVM% -XX:SharedArchiveFile=%STINT_ARCHIVE%"
"%STINT_JAVA%" %STINT_JVM% %STINT_JAVA_OPTS% -jar "%STINT_ROOT%\app\stint-cli.jar" %*
exit /b %ERRORLEVEL%

:record
rem The class-data archive, recorded by Scoop's post_install from a run of the daily commands
rem against an address where nothing listens (dev.stint.cli.ClassDataTraining), into a temporary
rem name first: a run started meanwhile must never map half an archive.
if not exist "%STINT_CDS%" mkdir "%STINT_CDS%"
"%STINT_JAVA%" %STINT_JVM% -XX:ArchiveClassesAtExit="%STINT_ARCHIVE%.tmp" -cp "%STINT_ROOT%\app\stint-cli.jar" dev.stint.cli.ClassDataTraining >nul 2>&1
if errorlevel 1 goto failed
move /y "%STINT_ARCHIVE%.tmp" "%STINT_ARCHIVE%" >nul
exit /b %ERRORLEVEL%
:failed
del /q "%STINT_ARCHIVE%.tmp" 2>nul
exit /b 1
