// fluxmeet: only wiring. Configuration errors print one line and exit with code 2.
#include <iostream>

#include "fluxmeet/app/config.hpp"
#include "fluxmeet/app/server_app.hpp"

int main(int argc, char** argv) {
  using namespace fluxmeet;
  auto config = app::loadConfig(argc, argv, app::processEnvironment());
  if (!config) {
    const std::string& message = config.error().message;
    if (message.rfind("help:", 0) == 0) {
      std::cout << message.substr(5) << "\n";
      return 0;
    }
    std::cerr << "fluxmeet: " << message << "\n";
    return 2;
  }
  return app::runServer(std::move(*config));
}
