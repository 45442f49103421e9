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
set "STINT_ARCHIVE=%STINT_ROOT%\app\stint-windows.jsa"
rem `stint setup aws` writes this file's path into the AWS config for credential_process.
set "STINT_COMMAND=%~f0"
if "%~1"=="--record-class-data" goto record
if exist "%STINT_ARCHIVE%" set "STINT_JVM=%STINT_JVM% -XX:SharedArchiveFile=%STINT_ARCHIVE%"
"%STINT_JAVA%" %STINT_JVM% %STINT_JAVA_OPTS% -jar "%STINT_ROOT%\app\stint-cli.jar" %*
exit /b %ERRORLEVEL%

:record
rem The class-data archive, recorded by Scoop's post_install from a run of the daily commands
rem against an address where nothing listens (dev.stint.cli.ClassDataTraining).
"%STINT_JAVA%" %STINT_JVM% -XX:ArchiveClassesAtExit="%STINT_ARCHIVE%" -cp "%STINT_ROOT%\app\stint-cli.jar" dev.stint.cli.ClassDataTraining >nul 2>&1
exit /b %ERRORLEVEL%
