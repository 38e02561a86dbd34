-- One database per service (each service also creates its own on first start if missing).
CREATE DATABASE protection_identity;
CREATE DATABASE protection_intake;
CREATE DATABASE protection_triage;
CREATE DATABASE protection_assistance;
CREATE DATABASE protection_relocation;
