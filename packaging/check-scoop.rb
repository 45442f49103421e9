# Checks a Scoop manifest against what Scoop's manifest schema (schema.json in ScoopInstaller/Scoop)
# asks of the keys stint's manifest uses: only known top-level keys, "version" present and of the
# allowed characters, "hash" a SHA-256, "url" and "homepage" absolute URIs without variables,
# "bin" a string or an array of strings or of [target, alias] pairs. Offline: no Scoop here.
# Usage: ruby packaging/check-scoop.rb MANIFEST
require "json"
require "uri"

KNOWN = %w[## _comment architecture autoupdate bin persist checkver cookie depends description
           env_add_path env_set extract_dir extract_to hash homepage innosetup installer license
           msi notes post_install pre_install psmodule shortcuts suggest uninstaller url version].freeze

def problem(text)
  warn "check-scoop: #{text}"
  exit 1
end

manifest = JSON.parse(File.read(ARGV.fetch(0)))
problem("not a JSON object") unless manifest.is_a?(Hash)
unknown = manifest.keys - KNOWN
problem("keys the schema does not allow: #{unknown.join(', ')}") unless unknown.empty?
problem("no version") unless manifest["version"].is_a?(String)
problem("version has characters the schema refuses") unless manifest["version"] =~ /\A[\w\-.+]+\z/
problem("hash is not a SHA-256") unless manifest["hash"].to_s =~ /\A(sha256:)?[a-fA-F0-9]{64}\z/
%w[url homepage].each do |key|
  value = manifest[key].to_s
  problem("#{key} holds a variable") if value.include?("$")
  uri = URI.parse(value) rescue problem("#{key} is not a URI: #{value}")
  problem("#{key} is not absolute: #{value}") unless uri.absolute?
end
bin = manifest["bin"]
ok = bin.is_a?(String) ||
     (bin.is_a?(Array) && !bin.empty? &&
      bin.all? { |b| b.is_a?(String) || (b.is_a?(Array) && !b.empty? && b.all?(String)) })
problem("bin is neither a string nor an array of strings or string arrays") unless ok
%w[post_install pre_install].each do |key|
  next unless manifest.key?(key)
  v = manifest[key]
  problem("#{key} is neither a string nor strings") unless v.is_a?(String) || (v.is_a?(Array) && v.all?(String))
end
if manifest.key?("suggest")
  problem("suggest is not an object of strings") unless manifest["suggest"].values.all? { |v| v.is_a?(String) || (v.is_a?(Array) && v.all?(String)) }
end
