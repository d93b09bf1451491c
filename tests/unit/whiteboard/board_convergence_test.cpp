// Property tests of reconciliation (issue 7): peers edit the same few elements concurrently,
// the network delivers their updates to the server and the server's broadcasts to the peers in
// random order (not even first-in first-out), and every peer applies what it receives (others'
// accepted elements, and the server's reply naming what it lost on) with the same rule as the
// server (supersedes). Whatever the interleaving, all end with the server's
// scene, which is the rule's maximum over every edit made. Seeds are fixed: a failure names its
// seed and replays exactly.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "fluxmeet/whiteboard/board.hpp"
#include "whiteboard_test_support.hpp"

namespace fluxmeet::whiteboard {
namespace {

using test::json;
using Scene = std::map<std::string, Element>;

Element parsed(const json& body) {
  auto element = parseElement(body, {});
  EXPECT_TRUE(element.ok()) << body.dump();
  return *element;
}

// What a peer does with elements from elsewhere: keep, per id, the winner by the shared rule.
void reconcile(Scene& scene, const json& elements) {
  for (const json& body : elements) {
    Element element = parsed(body);
    const auto it = scene.find(element.id);
    if (it == scene.end() || supersedes(element, it->second)) scene.insert_or_assign(element.id, std::move(element));
  }
}

std::map<std::string, std::string> texts(const Scene& scene, bool liveOnly = false) {
  std::map<std::string, std::string> result;
  for (const auto& [id, element] : scene) {
    if (!liveOnly || !element.deleted) result[id] = element.text;
  }
  return result;
}

Scene serverScene(const Board& board) {
  Scene scene;
  reconcile(scene, json::parse(board.toText())["elements"]);
  return scene;
}

struct Peer {
  std::string name;
  Scene scene;
  std::vector<json> outbox;  // updates on their way to the server
  std::vector<json> inbox;   // broadcasts on their way to this peer
};

class Simulation {
 public:
  Simulation(unsigned seed, int peerCount) : random_(seed), board_({}, "sim") {
    for (int i = 0; i < peerCount; ++i) peers_.push_back(Peer{"peer" + std::to_string(i)});
  }

  // A local edit the way Excalidraw makes one: the next version of what the peer sees, a new
  // nonce. Nonces come from a tiny range half the time, so equal versions with equal nonces
  // (the content tie-break) happen too.
  json edit(Peer& peer) {
    const std::string id = "el" + std::to_string(random_() % kIds);
    const auto known = peer.scene.find(id);
    const std::int64_t version = known == peer.scene.end() ? 1 : known->second.version + 1;
    const std::int64_t nonce = random_() % 2 ? random_() % 3 : random_() % 2147483648u;
    const bool deleted = random_() % 4 == 0;
    // Only the fields reconciliation reads and one that differs between edits: the full
    // Excalidraw shapes are the other tests' business, and this runs thousands of edits.
    json body = {{"id", id}, {"type", "rectangle"}, {"version", version}, {"versionNonce", nonce},
                 {"isDeleted", deleted}, {"x", static_cast<double>(random_() % 4)}};
    if (id.back() == '0') body.update({{"type", "text"}, {"text", "v" + std::to_string(random_() % 5)}});
    edits_.push_back(body);
    return body;
  }

  void peerEdits(Peer& peer) {
    json update = json::array();
    const int count = 1 + static_cast<int>(random_() % 3);
    for (int i = 0; i < count; ++i) {
      json body = edit(peer);
      reconcile(peer.scene, json::array({body}));  // its own edit always wins locally
      update.push_back(std::move(body));
    }
    peer.outbox.push_back(std::move(update));
  }

  static json takeAny(std::vector<json>& queue, std::mt19937& random) {
    const std::size_t index = random() % queue.size();
    json message = std::move(queue[index]);
    queue.erase(queue.begin() + static_cast<std::ptrdiff_t>(index));
    return message;
  }

  void deliverToServer(Peer& sender) {
    const json update = takeAny(sender.outbox, random_);
    auto applied = board_.apply(sender.name, update);
    ASSERT_TRUE(applied.ok()) << applied.error().message;
    EXPECT_EQ(applied->seq, board_.seq());
    // The reply: the board's state of what the sender lost on (never its own update).
    if (!applied->superseded.empty()) sender.inbox.push_back(applied->superseded);
    if (applied->accepted().empty()) return;
    for (Peer& peer : peers_) {
      if (peer.name != sender.name) peer.inbox.push_back(applied->accepted());
    }
  }

  void deliverToPeer(Peer& peer) { reconcile(peer.scene, takeAny(peer.inbox, random_)); }

  // A peer joins midway: the live scene by pages, then broadcasts like everyone else.
  void join() {
    Peer peer{"late" + std::to_string(peers_.size())};
    SnapshotRequest request{.maxBytes = 2000};
    for (SnapshotPage page = board_.snapshot(request);; page = board_.snapshot(request)) {
      reconcile(peer.scene, page.elements());
      if (page.complete) break;
      request = {.epoch = page.epoch, .sinceSeq = page.nextSeq, .maxBytes = 2000, .nextPage = true};
    }
    peers_.push_back(std::move(peer));
    lateJoiners_.push_back(peers_.size() - 1);
  }

  // One random event; false when nothing was left to do and the peers were not to edit.
  bool step(bool allowEdits) {
    std::vector<std::pair<int, std::size_t>> options;  // (kind, peer)
    for (std::size_t i = 0; i < peers_.size(); ++i) {
      if (allowEdits) options.emplace_back(0, i);
      if (!peers_[i].outbox.empty()) options.emplace_back(1, i);
      if (!peers_[i].inbox.empty()) options.emplace_back(2, i);
    }
    if (options.empty()) return false;
    const auto [kind, index] = options[random_() % options.size()];
    if (kind == 0) peerEdits(peers_[index]);
    if (kind == 1) deliverToServer(peers_[index]);
    if (kind == 2) deliverToPeer(peers_[index]);
    return true;
  }

  void run(int steps, bool withLateJoiner) {
    for (int i = 0; i < steps; ++i) {
      if (withLateJoiner && i == steps / 2) join();
      step(true);
    }
    while (step(false)) {
    }
  }

  void expectConverged(unsigned seed) const {
    const Scene server = serverScene(board_);
    // The server holds the rule's maximum of every edit ever made, per element.
    Scene oracle;
    reconcile(oracle, json(edits_));
    EXPECT_EQ(texts(server), texts(oracle)) << "seed " << seed;
    for (std::size_t i = 0; i < peers_.size(); ++i) {
      const bool late = std::find(lateJoiners_.begin(), lateJoiners_.end(), i) != lateJoiners_.end();
      if (!late) {
        EXPECT_EQ(texts(peers_[i].scene), texts(server)) << "seed " << seed << ", " << peers_[i].name;
        continue;
      }
      // A late joiner never heard of elements deleted before it came: the same live scene, and
      // whatever it has is the server's.
      EXPECT_EQ(texts(peers_[i].scene, true), texts(server, true)) << "seed " << seed << ", " << peers_[i].name;
      for (const auto& [id, element] : peers_[i].scene) {
        EXPECT_EQ(element.text, server.at(id).text) << "seed " << seed << ", " << id;
      }
    }
  }

  const Board& board() const { return board_; }
  std::size_t edits() const { return edits_.size(); }

 private:
  static constexpr unsigned kIds = 4;  // few ids: most edits collide with someone else's
  std::mt19937 random_;
  Board board_;
  std::vector<Peer> peers_;
  std::vector<std::size_t> lateJoiners_;
  std::vector<json> edits_;
};

constexpr unsigned kSeeds[] = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181, 6765,
                               10946, 17711, 28657, 46368, 75025, 121393, 196418, 317811, 514229, 832040, 1346269};

TEST(BoardConvergence, TwoPeersConvergeWhateverTheArrivalOrder) {
  for (unsigned seed : kSeeds) {
    Simulation simulation(seed, 2);
    simulation.run(150, false);
    simulation.expectConverged(seed);
  }
}

TEST(BoardConvergence, ThreePeersAndALateJoinerConverge) {
  std::size_t edits = 0;
  for (unsigned seed : kSeeds) {
    Simulation simulation(seed * 7919u, 3);
    simulation.run(300, true);
    simulation.expectConverged(seed);
    edits += simulation.edits();
  }
  EXPECT_GT(edits, 2000u);  // the property was exercised, not vacuously true
}

// The same updates applied in any order leave the same scene: the server's result does not
// depend on which peer's packet won the race.
TEST(BoardConvergence, ServerSceneIsIndependentOfUpdateOrder) {
  for (unsigned seed : kSeeds) {
    std::mt19937 random(seed);
    std::vector<json> updates;
    for (int i = 0; i < 60; ++i) {
      json body = {{"id", "el" + std::to_string(random() % 4)}, {"type", "rectangle"}, {"version", 1 + random() % 4},
                   {"versionNonce", random() % 3}, {"isDeleted", random() % 4 == 0},
                   {"x", static_cast<double>(random() % 3)}};
      updates.push_back(json::array({body}));
    }
    std::map<std::string, std::string> first;
    for (int order = 0; order < 10; ++order) {
      std::shuffle(updates.begin(), updates.end(), random);
      Board board;
      for (const json& update : updates) {
        ASSERT_TRUE(board.apply("p" + std::to_string(random() % 3), update).ok());
      }
      const auto scene = texts(serverScene(board));
      if (order == 0) first = scene;
      EXPECT_EQ(scene, first) << "seed " << seed << ", order " << order;
    }
  }
}

}  // namespace
}  // namespace fluxmeet::whiteboard
