# stint's Homebrew formula for macOS (arm64 and x64) and Linux: the portable archive of the CLI on
# Homebrew's JDK. packaging/formulae.sh writes the version, the archive's URL and its checksum into
# target/dist/homebrew/stint.rb; put that file in a tap of your own.
class Stint < Formula
  desc "Temporary cloud credentials, approved and audited"
  homepage "@HOMEPAGE@"
  url "@URL@"
  version "@VERSION@"
  sha256 "@SHA256@"

  depends_on "openjdk@21"

  def install
    libexec.install "app", "bin", "completion"
    # The cached `stint credentials` path without a JVM: portable C over POSIX.
    (libexec/"libexec").mkpath
    system ENV.cc, "-std=c11", "-Wall", "-Wextra", "-pedantic", "-O2",
           "-o", libexec/"libexec/stint-cached", "src/stint-cached.c"
    # The wrapper names the JDK, and the path `stint setup aws` writes into ~/.aws/config: the
    # stable one under opt, not the Cellar's, which changes at every upgrade.
    env = Language::Java.overridable_java_home_env("21")
    env[:STINT_INSTALLED_AS] = opt_bin/"stint"
    (bin/"stint").write_env_script libexec/"bin/stint", env
    bash_completion.install libexec/"completion/stint.bash" => "stint"
    zsh_completion.install libexec/"completion/_stint"
    fish_completion.install libexec/"completion/stint.fish"
  end

  def post_install
    # The class-data archive of the CLI's classes, recorded for this JDK and this path.
    system bin/"stint", "--record-class-data"
  end

  test do
    assert_match "stint #{version} (commit", shell_output("#{bin}/stint --version")
    assert_match "Daily commands", shell_output("#{bin}/stint --help")
  end
end
