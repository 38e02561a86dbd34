# One image recipe for every Protection process. Build args: PROJECT (csproj path), DLL (assembly file).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG PROJECT
WORKDIR /src
COPY . .
RUN dotnet publish "$PROJECT" -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
ARG DLL
ENV ASPNETCORE_URLS=http://+:8080 \
    SERVICE_DLL=$DLL
WORKDIR /app
COPY --from=build /app .
USER app
EXPOSE 8080
ENTRYPOINT ["sh", "-c", "exec dotnet /app/$SERVICE_DLL"]
