package org.p2plab.napster.protocol;

/**
 * A brokered download: where the file is (204's fields), or, for a push, who will connect.
 *
 * @param nick      the sharer
 * @param ip        the sharer's address (dotted); Napster sends it as {@link NapsterIp#encode}
 * @param port      the sharer's data port; 0: firewalled (ask it to push)
 * @param path      the file, exactly as shared
 * @param md5       its token
 * @param linkSpeed the sharer's link speed
 * @param size      its size in bytes (not in 204; the index knows it)
 * @param push      the sharer was asked to connect to the downloader's data port (501)
 */
public record DownloadTicket(String nick, String ip, int port, String path, String md5, int linkSpeed, long size, boolean push) {
}
