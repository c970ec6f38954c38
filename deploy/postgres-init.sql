-- One database per service (each service owns its data; none reads another's).
CREATE DATABASE registry;
CREATE DATABASE reporting;
CREATE DATABASE allowance;
CREATE DATABASE credit;
CREATE DATABASE notify;
