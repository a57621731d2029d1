@echo off
rem Runs the anomaly command-line tool from an unpacked distribution: lib\*.jar and plugins\*.jar on the class path.
rem (--plugins DIR is supported by bin/anomaly; on Windows copy plugin jars into plugins\ instead.)
setlocal
set "HOME_DIR=%~dp0.."
if "%JAVA%"=="" set "JAVA=java"
"%JAVA%" %JAVA_OPTS% -cp "%HOME_DIR%\lib\*;%HOME_DIR%\plugins\*" io.github.deepc.anomaly.cli.AnomalyCli %*
exit /b %ERRORLEVEL%
