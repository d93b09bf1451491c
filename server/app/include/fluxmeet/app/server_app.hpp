#pragma once
#include "fluxmeet/app/config.hpp"

namespace fluxmeet::app {

// Wires the modules together and runs until SIGINT/SIGTERM, then shuts down gracefully:
// stop accepting, finish in-flight requests, close the database. Returns the exit code.
int runServer(Config config);

}  // namespace fluxmeet::app
