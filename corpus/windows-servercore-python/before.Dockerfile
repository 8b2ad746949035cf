# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022

SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]

ENV PYTHON_VERSION 3.11.9

RUN Invoke-WebRequest -Uri ('https://www.python.org/ftp/python/{0}/python-{0}-amd64.exe' -f $env:PYTHON_VERSION) -OutFile 'python.exe'; `
    Start-Process python.exe -Wait -ArgumentList @( `
        '/quiet', `
        'InstallAllUsers=1', `
        'TargetDir=C:\Python', `
        'PrependPath=1' `
    ); `
    Remove-Item python.exe -Force

WORKDIR C:\app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .

EXPOSE 8000
CMD ["python", "-m", "waitress", "--port=8000", "printspool.app:app"]
