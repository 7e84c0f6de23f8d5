package org.p2plab.napster.protocol;

/** The Napster message types this server and peer speak (OpenNap's napster.txt). */
public final class MsgType {

    private MsgType() {
    }

    public static final int ERROR = 0;
    public static final int LOGIN = 2;
    public static final int LOGIN_ACK = 3;
    public static final int VERSION_CHECK = 4;
    public static final int NEW_USER_LOGIN = 6;
    public static final int NICK_CHECK = 7;
    public static final int NICK_NOT_REGISTERED = 8;
    public static final int NICK_REGISTERED = 9;
    public static final int NICK_INVALID = 10;
    public static final int LOGIN_OPTIONS = 14;
    public static final int SHARE = 100;
    public static final int UNSHARE = 102;
    public static final int UNSHARE_ALL = 110;
    public static final int SEARCH = 200;
    public static final int SEARCH_RESULT = 201;
    public static final int SEARCH_END = 202;
    public static final int DOWNLOAD_REQUEST = 203;
    public static final int DOWNLOAD_ACK = 204;
    public static final int GET_ERROR = 206;
    public static final int HOTLIST_ADD = 207;
    public static final int HOTLIST_INITIAL = 208;
    public static final int USER_SIGNON = 209;
    public static final int USER_SIGNOFF = 210;
    public static final int BROWSE = 211;
    public static final int BROWSE_ENTRY = 212;
    public static final int BROWSE_END = 213;
    public static final int STATS = 214;
    public static final int DOWNLOADING = 218;
    public static final int DOWNLOAD_COMPLETE = 219;
    public static final int UPLOADING = 220;
    public static final int UPLOAD_COMPLETE = 221;
    public static final int HOTLIST_ACK = 301;
    public static final int HOTLIST_ERROR = 302;
    public static final int HOTLIST_REMOVE = 303;
    public static final int ERROR_MESSAGE = 404;
    public static final int PUSH_REQUEST = 500;
    public static final int PUSH_ACK = 501;
    public static final int LINK_SPEED_REQUEST = 600;
    public static final int LINK_SPEED = 601;
    public static final int WHOIS = 603;
    public static final int WHOIS_RESPONSE = 604;
    public static final int WHOWAS = 605;
    public static final int UPLOAD_REQUEST = 607;
    public static final int UPLOAD_ACCEPT = 608;
    public static final int QUEUE_LIMIT = 619;
    public static final int QUEUE_LIMIT_NOTICE = 620;
    public static final int MOTD = 621;
    public static final int CHANGE_LINK_SPEED = 700;
    public static final int CHANGE_PASSWORD = 701;
    public static final int CHANGE_EMAIL = 702;
    public static final int CHANGE_DATA_PORT = 703;
    public static final int LOGIN_ELSEWHERE = 748;
    public static final int SERVER_PING = 750;
    public static final int PING = 751;
    public static final int PONG = 752;
    public static final int CLIENT_VERSION_BETA8 = 920;

    /** The highest type this server ever sends to a client (clients of 2000 crash on larger ones). */
    public static final int MAX_SENT = 2000;
}
